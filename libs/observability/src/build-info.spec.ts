import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectVersion, readBuildInfo } from './build-info';
import { defaultResourceAttributes } from './tracing/tracing-options';

describe('build info', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'build-info-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("finds the project's own package.json above, skipping other packages' manifests", () => {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'discounts', version: '3.4.5' }));
    const nested = join(root, 'dist', 'libs', 'observability', 'src');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ name: 'other', version: '9.9.9' }));
    expect(projectVersion(nested)).toBe('3.4.5');
  });

  it('says unknown when no package.json of the project is found', () => {
    expect(projectVersion(root)).toBe('unknown');
  });

  it('takes the revision from GIT_REVISION, unknown when unset or blank, and the running Node', () => {
    expect(readBuildInfo({ GIT_REVISION: ' 0123abc ' }, '1.0.0')).toStrictEqual({
      version: '1.0.0',
      revision: '0123abc',
      node: process.version,
    });
    expect(readBuildInfo({}, '1.0.0').revision).toBe('unknown');
    expect(readBuildInfo({ GIT_REVISION: '  ' }, '1.0.0').revision).toBe('unknown');
  });

  it("reads this repository's version by default", () => {
    expect(projectVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('gives spans the same version, in the discounts namespace', () => {
    expect(defaultResourceAttributes('1.2.3')).toStrictEqual({
      'service.namespace': 'discounts',
      'service.version': '1.2.3',
    });
  });
});
