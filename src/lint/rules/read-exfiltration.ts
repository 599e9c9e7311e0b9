/**
 * Read-exfiltration endpoints (archive, export, logs, attach, image get, push) reachable without
 * `insecure_allow_read_exfiltration`: the proxy refuses to start (sockguard-config.md §8.3). The
 * probes and the decision come from compilePolicy, so lint and serve can never disagree.
 */
import { defineRule } from '../lint-rule.js';
import { startupProblemFindings } from '../probe-findings.js';

export default defineRule({
  id: 'read-exfiltration',
  family: 'exposure',
  severity: 'error',
  summary: 'Rules allow read-exfiltration endpoints without insecure_allow_read_exfiltration',
  help: 'Container archive/export, logs, attach, image get and registry push let a client copy container files, images, environment variables and secrets out of the host. Sockguard checks a fixed list of these endpoints at startup and refuses to start when a rule allows one without the top-level acknowledgement insecure_allow_read_exfiltration: true. Narrow the allow rules (e.g. GET /containers/*/json instead of GET /containers/**) or set the acknowledgement if clients really need these reads.',
  check: (context) =>
    startupProblemFindings(
      context,
      'read-exfiltration',
      () =>
        'these can exfiltrate container files, images, environment variables and secrets, and sockguard refuses to start with them allowed; narrow the rule to the endpoints the client needs, or set insecure_allow_read_exfiltration: true at the top level to accept the risk',
    ),
});
