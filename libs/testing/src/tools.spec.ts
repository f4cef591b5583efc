import { describe, expect, it, vi } from 'vitest';
import { ToolMissingError } from './errors.js';
import { probeTool, requireChromium, requireTool } from './tools.js';

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

describe('requireChromium', () => {
  it('names the executable to launch, from CHROMIUM_PATH', () => {
    expect(requireChromium({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
  });

  it('skips locally and fails under CI=true when Chromium is missing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(requireChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).toBeUndefined();
    expect(warn.mock.calls[0]?.[0]).toMatch(/\[skip\] \/nonexistent\/chromium --version failed/);
    warn.mockRestore();
    expect(() => requireChromium({ CHROMIUM_PATH: '/nonexistent/chromium', CI: 'true' })).toThrow(ToolMissingError);
  });
});
