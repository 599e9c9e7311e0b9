import { test } from 'node:test';
import { assertAllowed, assertDenied, judge, rootPolicy } from './body-request.js';

for (const kind of ['secret', 'config'] as const) {
  const path = `/${kind}s/create`;
  const key = (field: string) => `request_body.${kind}.${field}`;
  test(`${kind} create: plain data passes, drivers and templating need their flags`, () => {
    assertAllowed(judge(rootPolicy(), 'POST', path, { Name: 'n', Data: 'aGk=' }));
    assertDenied(
      judge(rootPolicy(), 'POST', path, { Name: 'n', Driver: { Name: 'vault' } }),
      403,
      'Driver.Name is "vault"',
      key('allow_custom_drivers'),
    );
    assertDenied(
      judge(rootPolicy(), 'POST', path, { Name: 'n', Templating: { Name: 'golang' } }),
      403,
      'Templating is set',
      key('allow_template_drivers'),
    );
    assertDenied(judge(rootPolicy(), 'POST', path, '{"Name":"n","templating":{}}'), 403, key('allow_template_drivers'));
    assertAllowed(
      judge(rootPolicy({ [kind]: { allow_custom_drivers: true, allow_template_drivers: true } }), 'POST', path, {
        Driver: { Name: 'vault' },
        Templating: { Name: 'golang' },
      }),
    );
  });
}
