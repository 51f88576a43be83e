/**
 * Which Service Traefik v3 (the local cluster's gateway, tools/cluster) sends a request to, from
 * an HTTPRoute or an Ingress, as its providers build routers (read from traefik/traefik v3.6,
 * pkg/provider/kubernetes/gateway/httproute.go and pkg/provider/kubernetes/ingress/kubernetes.go):
 * each path becomes a router with a rule and a priority, and the highest-priority router whose
 * rule matches the request wins. Only host and path are modelled; anything else fails loudly.
 *
 * Matchers: Path is equality; PathPrefix is a character-wise prefix; PathRegexp searches a Go
 * regexp anywhere in the path (unanchored), which JavaScript's RegExp equals for the patterns used.
 */
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';

interface Router {
  matches: (path: string) => boolean;
  priority: number;
  service: string;
}

const pick = (routers: readonly Router[], path: string): string | undefined =>
  routers
    .filter((r) => r.matches(path))
    .sort((a, b) => b.priority - a.priority)
    .at(0)?.service;

/** The parts of an HTTPRoute that routing depends on. */
export interface HttpRouteSpec {
  hostnames?: string[];
  rules?: Array<{
    matches?: Array<{
      path?: { type?: string; value?: string };
      method?: string;
      headers?: unknown[];
      queryParams?: unknown[];
    }>;
    backendRefs?: Array<{ name: string; port?: number }>;
  }>;
}

/**
 * Gateway API provider. Priority of a match: Exact 100000; PathPrefix "/" 1; PathPrefix and
 * RegularExpression alike 10000 + 100 × the value's length; plus the length of the route's longest
 * hostname, plus (number of rules − the rule's index). PathPrefix matches the value (without a
 * trailing "/") or anything under it followed by "/", element-wise as the Gateway API says.
 */
export function traefikGatewayRouteFor(spec: HttpRouteSpec, host: string, path: string): string | undefined {
  const hostnames = spec.hostnames ?? [];
  if (hostnames.some((h) => h.startsWith('*'))) throw new Error('wildcard hostnames are not modelled');
  if (hostnames.length > 0 && !hostnames.includes(host)) return undefined;
  const hostPriority = Math.max(0, ...hostnames.map((h) => h.length));
  const rules = spec.rules ?? [];
  const routers: Router[] = [];
  rules.forEach((rule, index) => {
    const backends = rule.backendRefs ?? [];
    if (backends.length !== 1) throw new Error('only rules with one backendRef are modelled');
    for (const match of rule.matches ?? [{}]) {
      if (match.method || match.headers?.length || match.queryParams?.length) {
        throw new Error('only path matches are modelled');
      }
      const type = match.path?.type ?? 'PathPrefix';
      const value = match.path?.value ?? '/';
      let matches: (p: string) => boolean;
      let priority: number;
      if (type === 'Exact') {
        matches = (p) => p === value;
        priority = 100_000;
      } else if (type === 'PathPrefix' && value === '/') {
        matches = () => true;
        priority = 1;
      } else if (type === 'PathPrefix') {
        const trimmed = value.replace(/\/$/, '');
        matches = (p) => p === trimmed || p.startsWith(`${trimmed}/`);
        priority = 10_000 + value.length * 100;
      } else if (type === 'RegularExpression') {
        const re = new RegExp(value);
        matches = (p) => re.test(p);
        priority = 10_000 + value.length * 100;
      } else {
        throw new Error(`unknown path match type ${type}`);
      }
      routers.push({
        matches,
        priority: priority + hostPriority + rules.length - index,
        service: backends[0]!.name,
      });
    }
  });
  return pick(routers, path);
}

const PATH_MATCHER = 'traefik.ingress.kubernetes.io/router.pathmatcher';
const PRIORITY = 'traefik.ingress.kubernetes.io/router.priority';

/**
 * Kubernetes Ingress provider. Exact is Path, Prefix is PathPrefix (character-wise, Traefik's
 * default), ImplementationSpecific is the matcher named by the router.pathmatcher annotation
 * (default PathPrefix); other controllers' annotations (ingress-nginx's use-regex) mean nothing to
 * it. A router's priority is router.priority or else the length of its rule,
 * `Host("<host>") && <Matcher>("<path>")`.
 */
export function traefikIngressRouteFor(ingress: IIngress, host: string, path: string): string | undefined {
  const annotations = ingress.metadata?.annotations ?? {};
  const rule = ingress.spec?.rules?.find((r) => r.host === host);
  if (!rule) return undefined;
  const routers: Router[] = (rule.http?.paths ?? []).map((p) => {
    const value = p.path ?? '/';
    let matcher = 'PathPrefix';
    if (p.pathType === 'Exact') matcher = 'Path';
    else if (p.pathType === 'ImplementationSpecific') matcher = annotations[PATH_MATCHER] ?? 'PathPrefix';
    let matches: (requestPath: string) => boolean;
    if (matcher === 'Path') matches = (r) => r === value;
    else if (matcher === 'PathPrefix') matches = (r) => r.startsWith(value);
    else if (matcher === 'PathRegexp') {
      const re = new RegExp(value);
      matches = (r) => re.test(r);
    } else throw new Error(`unknown path matcher ${matcher}`);
    const text = `Host(${JSON.stringify(host)}) && ${matcher}(${JSON.stringify(value)})`;
    const priority = annotations[PRIORITY] ? Number(annotations[PRIORITY]) : text.length;
    return { matches, priority, service: p.backend.service!.name };
  });
  return pick(routers, path);
}
