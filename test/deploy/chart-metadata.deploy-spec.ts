/**
 * Chart.yaml's metadata for people and chart indexes: home, sources, maintainers, icon and Artifact
 * Hub's annotations exist, are well-formed, agree with each other and with what the chart
 * installs, and Helm reads them as written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR, helm, ofKind, render, REPO_ROOT } from './support/helm';
import { podSpecOf } from './support/pod-env';

interface Chart {
  version: string;
  appVersion: string;
  home: string;
  sources: string[];
  maintainers: Array<{ name: string; email?: string; url?: string }>;
  icon: string;
  annotations: Record<string, unknown>;
}

const chart = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as Chart;
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { license: string };

/** An absolute https URL with a host name, or a test failure naming the field. */
function httpsUrl(field: string, value: unknown): URL {
  expect({ field, type: typeof value }).toEqual({ field, type: 'string' });
  const url = new URL(value as string);
  expect({ field, protocol: url.protocol, dotted: url.hostname.includes('.') }).toEqual({
    field,
    protocol: 'https:',
    dotted: true,
  });
  return url;
}

/** An annotation whose value is a YAML list of objects, as Artifact Hub reads it. */
function listAnnotation(name: string): Array<Record<string, unknown>> {
  const text = chart.annotations[name];
  expect({ name, type: typeof text }).toEqual({ name, type: 'string' });
  const list = parse(text as string) as unknown;
  expect(Array.isArray(list) && list.length > 0).toBe(true);
  return list as Array<Record<string, unknown>>;
}

describe('Chart.yaml metadata', () => {
  it('home, sources and maintainers are there and well-formed, every URL on the one repository host', () => {
    const home = httpsUrl('home', chart.home);
    expect(chart.sources.length).toBeGreaterThan(0);
    const urls = [home, ...chart.sources.map((s, i) => httpsUrl(`sources[${i}]`, s))];
    expect(chart.maintainers.length).toBeGreaterThan(0);
    chart.maintainers.forEach((m, i) => {
      expect(m.name.trim()).not.toBe('');
      if (m.email !== undefined) expect(m.email).toMatch(/^[^\s@]+@[^\s@]+\.[^\s@]+$/);
      if (m.url !== undefined) urls.push(httpsUrl(`maintainers[${i}].url`, m.url));
    });
    for (const link of listAnnotation('artifacthub.io/links')) {
      expect(typeof link.name === 'string' && link.name.trim() !== '').toBe(true);
      urls.push(httpsUrl(`link ${String(link.name)}`, link.url));
    }
    // One place to change when the placeholder becomes the real repository.
    expect(new Set(urls.map((u) => u.host))).toEqual(new Set([home.host]));
  });

  it('the icon is an SVG inside the chart (a data: URI), so showing the chart fetches nothing', () => {
    const match = /^data:image\/svg\+xml;base64,([A-Za-z0-9+/]+=*)$/.exec(chart.icon);
    expect(match).not.toBeNull();
    const svg = Buffer.from(match![1]!, 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+">/);
    expect(svg.trim()).toMatch(/<\/svg>$/);
    // Nothing that would load or run: no script, no reference other than the SVG namespace.
    expect(svg).not.toMatch(/<script|href=|url\(/i);
    expect(svg.replace('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:/);
    expect(chart.icon.length).toBeLessThan(4096);
  });

  it("the license annotation is the project's (package.json)", () => {
    expect(chart.annotations['artifacthub.io/license']).toBe(packageJson.license);
  });

  it('the images annotation names exactly the images the default values install', () => {
    const images = listAnnotation('artifacthub.io/images');
    for (const image of images) expect(Object.keys(image).sort()).toEqual(['image', 'name']);
    const installed = ofKind(render(), 'Deployment').flatMap((d) =>
      podSpecOf(d).containers.map((c) => c.image),
    );
    expect(images.map((i) => i.image).sort()).toEqual([...new Set(installed)].sort());
    for (const image of images) expect(String(image.image)).toMatch(new RegExp(`:${chart.appVersion}$`));
  });

  it('every annotation is a string (Helm refuses others), and Helm reads the metadata as written', () => {
    for (const [name, value] of Object.entries(chart.annotations)) {
      expect({ name, type: typeof value }).toEqual({ name, type: 'string' });
    }
    const shown = helm(['show', 'chart', CHART_DIR]);
    expect(shown.status).toBe(0);
    const read = parse(shown.stdout) as Chart;
    const fields = ['home', 'sources', 'maintainers', 'icon', 'annotations'] as const;
    for (const field of fields) expect({ field, value: read[field] }).toEqual({ field, value: chart[field] });
  });
});
