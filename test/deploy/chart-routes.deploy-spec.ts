/**
 * The chart's ways in: the Ingress as ingress-nginx and Traefik route it, and the Gateway API
 * HTTPRoute (valid against its CRD, routed as Traefik does), each sending every public route to
 * the app that serves it and nothing else.
 */
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import type { IService } from 'kubernetes-models/v1';
import { findObject, ofKind, render, type K8sObject, INGRESS_ON } from './support/helm';
import { routeFor } from './support/ingress-routing';
import { PUBLIC_ROUTE_CASES } from './support/public-routes';
import {
  traefikGatewayRouteFor,
  traefikIngressRouteFor,
  type HttpRouteSpec,
} from './support/traefik-routing';

describe('ingress', () => {
  const ingressOf = (objects: readonly K8sObject[]) =>
    findObject(objects, 'Ingress', 'discounts') as unknown as IIngress;

  it('has class, TLS, hosts and annotations from the values (ci/ingress-tls-values.yaml)', () => {
    const ingress = ingressOf(render({ valuesFiles: ['ci/ingress-tls-values.yaml'] }));
    expect(ingress.spec!.ingressClassName).toBe('nginx');
    expect(ingress.spec!.tls).toEqual([
      { secretName: 'discounts-tls', hosts: ['discounts.example.com', 'api.discounts.example.com'] },
    ]);
    expect(ingress.spec!.rules!.map((r) => r.host)).toEqual([
      'discounts.example.com',
      'api.discounts.example.com',
    ]);
    expect(ingress.metadata!.annotations).toEqual({
      'nginx.ingress.kubernetes.io/proxy-body-size': '1m',
      'nginx.ingress.kubernetes.io/use-regex': 'true',
    });
  });

  it.each(PUBLIC_ROUTE_CASES)('%s %s goes to %s', (_method, path, service) => {
    const ingress = ingressOf(render({ set: [...INGRESS_ON] }));
    expect(routeFor(ingress, 'discounts.local', path)).toBe(service);
  });

  describe("under Traefik's Kubernetes Ingress provider (the local cluster's)", () => {
    it.each(PUBLIC_ROUTE_CASES)(
      'ci/ingress-traefik-values.yaml: %s %s goes to %s',
      (_method, path, service) => {
        const ingress = ingressOf(render({ valuesFiles: ['ci/ingress-traefik-values.yaml'] }));
        expect(traefikIngressRouteFor(ingress, 'discounts.local', path)).toBe(service);
      },
    );

    it("turns the claims route into a PathRegexp with Traefik's own annotation, and drops ingress-nginx's", () => {
      const ingress = ingressOf(render({ valuesFiles: ['ci/ingress-traefik-values.yaml'] }));
      expect(ingress.spec!.ingressClassName).toBe('traefik');
      expect(ingress.metadata!.annotations).toEqual({
        'traefik.ingress.kubernetes.io/router.pathmatcher': 'PathRegexp',
      });
      const implementationSpecific = ingress.spec!.rules![0]!.http!.paths.filter(
        (p) => p.pathType === 'ImplementationSpecific',
      );
      expect(implementationSpecific.map((p) => p.path)).toEqual([
        '/v1/brands/[^/]+/(campaigns/[^/]+/)?claims$',
      ]);
    });

    it("the defaults (ingress-nginx's use-regex) would send claims to the generator", () => {
      const ingress = ingressOf(render({ set: [...INGRESS_ON, 'ingress.className=traefik'] }));
      expect(traefikIngressRouteFor(ingress, 'discounts.local', '/v1/brands/acme/claims')).toBe(
        'discounts-generator',
      );
    });
  });
});

describe('HTTPRoute (Gateway API)', () => {
  const routeOf = (objects: readonly K8sObject[]) => findObject(objects, 'HTTPRoute', 'discounts');
  const specOf = (objects: readonly K8sObject[]) => routeOf(objects).spec as HttpRouteSpec;
  const withRoute = [
    'httpRoute.enabled=true',
    'httpRoute.parentRefs[0].name=local',
    'settings.trustedProxies[0]=10.42.0.0/16',
  ];

  it('is off by default, and needs a parent when on', () => {
    expect(ofKind(render(), 'HTTPRoute')).toEqual([]);
    expect(() => render({ set: ['httpRoute.enabled=true'] })).toThrow(
      /at '\/httpRoute\/parentRefs': minItems/,
    );
  });

  it('takes parentRefs, hostnames and annotations from the values (ci/httproute-values.yaml)', () => {
    const objects = render({ valuesFiles: ['ci/httproute-values.yaml'] });
    const route = routeOf(objects);
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.metadata.annotations).toEqual({ 'example.com/owner': 'discounts' });
    const spec = route.spec as HttpRouteSpec & { parentRefs: unknown[] };
    expect(spec.parentRefs).toEqual([
      { name: 'public', namespace: 'gateway-system', sectionName: 'http' },
      { name: 'public', namespace: 'gateway-system', sectionName: 'https' },
    ]);
    expect(spec.hostnames).toEqual(['discounts.example.com']);
    expect(ofKind(objects, 'Ingress')).toEqual([]);
  });

  it('without hostnames, names the ingress hosts', () => {
    expect(specOf(render({ set: withRoute })).hostnames).toEqual(['discounts.local']);
    const spec = specOf(
      render({ set: [...withRoute, 'ingress.hosts[0]=a.example.com', 'ingress.hosts[1]=b.example.com'] }),
    );
    expect(spec.hostnames).toEqual(['a.example.com', 'b.example.com']);
  });

  it('has the same public routes as the Ingress, to the same Services', () => {
    const objects = render({ set: [...withRoute, ...INGRESS_ON] });
    const ingress = findObject(objects, 'Ingress', 'discounts') as unknown as IIngress;
    const fromIngress = ingress.spec!.rules![0]!.http!.paths.map((p) => [
      p.pathType === 'ImplementationSpecific' ? 'claims' : p.path,
      p.pathType === 'Prefix' ? 'PathPrefix' : p.pathType === 'Exact' ? 'Exact' : 'claims',
      p.backend.service!.name,
    ]);
    const fromRoute = (specOf(objects).rules ?? []).map((r) => [
      r.matches![0]!.path!.type === 'RegularExpression' ? 'claims' : r.matches![0]!.path!.value,
      r.matches![0]!.path!.type === 'RegularExpression' ? 'claims' : r.matches![0]!.path!.type,
      r.backendRefs![0]!.name,
    ]);
    expect(fromRoute.slice().sort()).toEqual(fromIngress.slice().sort());
  });

  // The CRD's CEL rules, which its JSON schema check (support/gateway-api.ts) does not run.
  it('meets the CRD rules the schema alone does not check', () => {
    const objects = render({ valuesFiles: ['ci/httproute-values.yaml'] });
    const spec = routeOf(objects).spec as HttpRouteSpec & {
      parentRefs: Array<{ name: string; namespace?: string; sectionName?: string }>;
    };
    const services = ofKind(objects, 'Service') as unknown as IService[];
    for (const rule of spec.rules ?? []) {
      for (const ref of rule.backendRefs ?? []) {
        // "Must have port for Service reference", and it must be a port of that Service.
        const service = services.find((s) => s.metadata!.name === ref.name);
        expect(service?.spec!.ports!.map((p) => p.port)).toContain(ref.port);
      }
      for (const match of rule.matches ?? []) {
        const path = match.path!;
        if (path.type === 'RegularExpression') continue;
        expect(path.value).toMatch(/^\//);
        expect(path.value).toMatch(/^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/);
        for (const bad of ['//', '/./', '/../', '%2f', '%2F', '#']) expect(path.value).not.toContain(bad);
      }
    }
    // Two references to one parent need distinct section names.
    const parents = spec.parentRefs.map((p) => `${p.namespace}/${p.name}`);
    const sections = spec.parentRefs.map((p) => `${p.namespace}/${p.name}/${p.sectionName}`);
    if (new Set(parents).size < parents.length) expect(new Set(sections).size).toBe(sections.length);
    const matches = (spec.rules ?? []).reduce((n, r) => n + (r.matches ?? []).length, 0);
    expect(matches).toBeLessThan(128);
    expect((spec.rules ?? []).length).toBeLessThanOrEqual(16);
  });

  it('lists the claims rule first, for gateways that rank regex matches by rule order', () => {
    const rules = specOf(render({ set: withRoute })).rules ?? [];
    expect(rules[0]!.matches).toEqual([
      { path: { type: 'RegularExpression', value: '^/v1/brands/[^/]+/(campaigns/[^/]+/)?claims$' } },
    ]);
    expect(rules[0]!.backendRefs).toEqual([{ name: 'discounts-provider', port: 5002 }]);
  });

  it.each(PUBLIC_ROUTE_CASES)(
    "under Traefik (the local cluster's gateway): %s %s goes to %s",
    (_m, path, service) => {
      expect(traefikGatewayRouteFor(specOf(render({ set: withRoute })), 'discounts.local', path)).toBe(
        service,
      );
    },
  );

  it('serves no other host', () => {
    expect(
      traefikGatewayRouteFor(specOf(render({ set: withRoute })), 'other.local', '/v1/users'),
    ).toBeUndefined();
  });
});
