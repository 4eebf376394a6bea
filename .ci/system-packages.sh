#!/usr/bin/env bash
# Debian packages the tests use: chromium (the HTML report is checked in a real browser) and
# nats-server (tests that stop and restart their own NATS). Installed only when missing.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/sbin/nats-server ] || need+=(nats-server)
command -v xmllint >/dev/null || need+=(libxml2-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "system packages ready"
