/**
 * Which Service an Ingress sends a request path to, as ingress-nginx decides it (the chart's
 * default controller). With `nginx.ingress.kubernetes.io/use-regex: "true"` every path of the
 * host is a case-insensitive regex anchored at the start, Exact paths stay exact, and the regex
 * locations are tried longest path first
 * (https://kubernetes.github.io/ingress-nginx/user-guide/ingress-path-matching/). Without it,
 * the Ingress API's own rules apply: Exact, then the longest element-wise Prefix.
 */
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';

interface Route {
  path: string;
  pathType: string;
  service: string;
}

function routesOf(ingress: IIngress, host: string): Route[] {
  const rule = ingress.spec?.rules?.find((r) => r.host === host);
  if (!rule) throw new Error(`the Ingress has no rule for host ${host}`);
  return (rule.http?.paths ?? []).map((p) => ({
    path: p.path ?? '/',
    pathType: p.pathType,
    service: p.backend.service!.name,
  }));
}

const prefixMatches = (prefix: string, path: string): boolean => {
  const want = prefix.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  return want.every((segment, i) => have[i] === segment);
};

export function routeFor(ingress: IIngress, host: string, path: string): string | undefined {
  const routes = routesOf(ingress, host);
  const exact = routes.find((r) => r.pathType === 'Exact' && r.path === path);
  if (exact) return exact.service;
  const rest = routes.filter((r) => r.pathType !== 'Exact');
  if (ingress.metadata?.annotations?.['nginx.ingress.kubernetes.io/use-regex'] === 'true') {
    const ordered = rest.slice().sort((a, b) => b.path.length - a.path.length);
    return ordered.find((r) => new RegExp(`^${r.path}`, 'i').test(path))?.service;
  }
  for (const route of rest) {
    if (route.pathType !== 'Prefix')
      throw new Error(`${route.pathType} path ${route.path} needs a controller's rules`);
  }
  const matching = rest.filter((r) => prefixMatches(r.path, path));
  matching.sort((a, b) => b.path.length - a.path.length);
  return matching[0]?.service;
}
