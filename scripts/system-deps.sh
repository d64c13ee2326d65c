#!/usr/bin/env bash
# Install the Debian packages argmap needs when they are missing: Graphviz (`dot`) for diagrams
# and Chromium for the browser tests of the HTML explorer. Idempotent; needs root for apt-get.
set -euo pipefail
want_browser="${1:-}"
pkgs=()
command -v dot >/dev/null 2>&1 || pkgs+=(graphviz)
if [ "$want_browser" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then pkgs+=(chromium); fi
if [ "${#pkgs[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing: ${pkgs[*]} (run: sudo apt-get install -y ${pkgs[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
