#!/usr/bin/env bash
# Debian packages lianfang needs: gettext (compilemessages), fonts-noto-cjk (PDFs, screenshots),
# chromium (browser tests), wrk (make bench). Installed only when missing and only as root; otherwise say what is
# missing and go on (the browser tests then report it themselves).
set -euo pipefail
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)  # make bench: the check-in load generator
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "warning: missing Debian packages (install them as root): ${need[*]}" >&2
fi
