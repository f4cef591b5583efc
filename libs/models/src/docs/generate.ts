import type { Project } from '../project/types.js';
import { ARTIFACT_FILES, buildManifest, writeArtifact } from '../artifacts/build.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderLineageHtml } from './lineage.js';

/** `docs generate`: `<targetDir>/manifest.json` and the static lineage page `<targetDir>/index.html`. */
export async function generateDocs(project: Project, targetDir: string): Promise<{ manifest: string; index: string }> {
  const manifest = buildManifest(project);
  const manifestPath = await writeArtifact(targetDir, ARTIFACT_FILES.manifest, manifest);
  await mkdir(targetDir, { recursive: true });
  const index = join(targetDir, ARTIFACT_FILES.docs);
  await writeFile(index, renderLineageHtml(manifest));
  return { manifest: manifestPath, index };
}
