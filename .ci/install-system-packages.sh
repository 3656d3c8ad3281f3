#!/usr/bin/env bash
# Debian packages the tests use (zstd and GNU tar prove the archive is open; sqlite3 for
# hand checks; openssh-server for the SFTP tests). Installed only when missing.
set -euo pipefail
need=()
command -v zstd >/dev/null || need+=(zstd)
command -v sha256sum >/dev/null || need+=(coreutils)
command -v tar >/dev/null || need+=(tar)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
