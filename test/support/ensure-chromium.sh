#!/bin/sh
# The admin UI tests drive Debian's Chromium (playwright-core never downloads a browser here).
# `bun run test` calls this first so that the test command alone sets up a fresh machine.
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the admin UI tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null && exit 0
fi
echo "the admin UI tests need /usr/bin/chromium: run 'apt-get install chromium' as root" >&2
exit 1
