import { type ViteUserConfig } from 'vitest/config';
export declare function projectTestConfig(name: string, test?: NonNullable<ViteUserConfig['test']>): ViteUserConfig;
//# sourceMappingURL=vitest.shared.d.ts.map