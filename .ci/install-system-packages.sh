#!/usr/bin/env bash
# Debian packages the tests use (zstd and GNU tar prove the archive is open; sqlite3 for
# hand checks; openssh-server for the SFTP tests; promtool and the Pushgateway for the metrics
# tests; chromium for the dashboard tests; age to prove encrypted archives open with the age
# CLI, and `script` (bsdutils) to give `age -p` a terminal). Installed only when missing.
set -euo pipefail
need=()
command -v zstd >/dev/null || need+=(zstd)
command -v sha256sum >/dev/null || need+=(coreutils)
command -v tar >/dev/null || need+=(tar)
# jq: the reusable workflows' guard and plan scripts (GitHub's runners have it).
command -v jq >/dev/null || need+=(jq)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
command -v promtool >/dev/null || need+=(prometheus)
command -v prometheus-pushgateway >/dev/null || need+=(prometheus-pushgateway)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v age >/dev/null || need+=(age)
command -v script >/dev/null || need+=(bsdutils)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
