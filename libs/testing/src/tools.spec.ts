import { describe, expect, it, vi } from 'vitest';
import { ToolMissingError } from './errors.js';
import { probeTool, requireTool } from './tools.js';

describe('requireTool', () => {
  it('is true for a tool that runs', () => {
    expect(requireTool(process.execPath, ['--version'], {})).toBe(true);
  });

  it('skips locally with a printed reason', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(requireTool('lakestream-no-such-tool', ['--version'], {})).toBe(false);
    expect(warn.mock.calls[0]?.[0]).toMatch(/\[skip\] lakestream-no-such-tool --version failed \(ENOENT\)/);
    warn.mockRestore();
  });

  it('fails under CI=true with a typed error', () => {
    expect(() => requireTool('lakestream-no-such-tool', ['--version'], { CI: 'true' })).toThrow(ToolMissingError);
    expect(probeTool('lakestream-no-such-tool').available).toBe(false);
  });
});
