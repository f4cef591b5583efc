export { loadProject, PROJECT_FILE } from './load.js';
export { testNodeName } from './tests.js';
export { formatYamlPath } from './yaml.js';
