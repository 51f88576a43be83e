/**
 * `helm uninstall` leaves nothing of the release: no object of any kind, namespaced or not, carries
 * its instance label, and Helm's own release records are gone. (The local dependencies and the
 * namespace are the test's, not the release's.)
 */
import { helm, installation, kubectl } from './support/cluster';

const { namespace, release } = installation();

it('helm uninstall --wait leaves no object of the release behind', async () => {
  await helm(['uninstall', release, '-n', namespace, '--wait', '--timeout', '3m'], { timeoutMs: 200_000 });
  // Helm waits for its own objects; their pods still drain (preStop pause, then SIGTERM).
  await kubectl(
    [
      'wait',
      '--for=delete',
      'pod',
      '-n',
      namespace,
      '-l',
      `app.kubernetes.io/instance=${release}`,
      '--timeout=120s',
    ],
    {
      timeoutMs: 150_000,
    },
  );

  const kinds = async (namespaced: boolean) =>
    (await kubectl(['api-resources', '--verbs=list', `--namespaced=${namespaced}`, '-o', 'name']))
      .split('\n')
      .filter((k) => k !== '' && !k.startsWith('events'));
  const leftovers: string[] = [];
  for (const [namespaced, scope] of [
    [true, ['-n', namespace]],
    [false, []],
  ] as const) {
    for (const kind of await kinds(namespaced)) {
      const names = await kubectl([
        'get',
        kind,
        ...scope,
        '-l',
        `app.kubernetes.io/instance=${release}`,
        '-o',
        'name',
      ]);
      leftovers.push(...names.split('\n').filter(Boolean));
    }
  }
  expect(leftovers).toEqual([]);

  const records = await kubectl([
    'get',
    'secrets',
    '-n',
    namespace,
    '-l',
    `owner=helm,name=${release}`,
    '-o',
    'name',
  ]);
  expect(records.trim()).toBe('');
}, 240_000);
