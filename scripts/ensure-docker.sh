#!/usr/bin/env bash
# Installs what the integration tests need for a real upstream: Debian's docker.io (dockerd 20.10,
# Engine API 1.41) and busybox-static (the static binary the test image is built from).
# See shared/reference/real-docker-upstream.md §3. Runs from npm's pretest step, so it must be:
#   - idempotent: nothing to do when dockerd exists and busybox-static is installed;
#   - harmless: it never starts the system daemon or touches /var/run/docker.sock (the tests start
#     their own dockerd on a private socket);
#   - non-fatal without root: unit tests still run and the integration tests skip with a reason.
set -euo pipefail

readonly POLICY_RC=/usr/sbin/policy-rc.d

has_dockerd() { command -v dockerd >/dev/null 2>&1 || [ -x /usr/sbin/dockerd ]; }
has_busybox_static() { [ "$(dpkg-query -W -f='${db:Status-Status}' busybox-static 2>/dev/null)" = installed ]; }

if has_dockerd && has_busybox_static; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-docker: docker.io and busybox-static are not installed and this is not root; skipping the install." >&2
  echo "ensure-docker: integration tests against a real dockerd will be skipped (install them as root to run them)." >&2
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-docker: apt-get not found (not Debian?); install dockerd and a static busybox yourself." >&2
  echo "ensure-docker: integration tests against a real dockerd will be skipped." >&2
  exit 0
fi

# Without a policy-rc.d, docker.io's post-install would start a default dockerd on /var/run/docker.sock
# with a docker0 bridge and iptables NAT. Create one that denies every start, and remove it again only
# if it was ours.
if [ ! -e "$POLICY_RC" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$POLICY_RC"
  chmod 755 "$POLICY_RC"
  trap 'rm -f "$POLICY_RC"' EXIT
fi

started=$SECONDS
echo "ensure-docker: installing docker.io and busybox-static"
export DEBIAN_FRONTEND=noninteractive
# Another apt run (e.g. unattended upgrades on a fresh machine) may hold the lock: wait instead of failing.
apt-get -q -o DPkg::Lock::Timeout=300 update
apt-get -q -o DPkg::Lock::Timeout=300 install -y --no-install-recommends docker.io busybox-static </dev/null
echo "ensure-docker: installed in $((SECONDS - started)) s"
