#!/usr/bin/env bash
# Installs Loa as a speech-dispatcher module for the current user (default) or, with
# --system, for every user (run as root).
#
#   install.sh [--system] [--url http://127.0.0.1:8080] [--default] [--native]
#
# --url      the Loa server (default http://127.0.0.1:8080)
# --default  also make Loa speechd's default module (DefaultModule loa)
# --native   the native module sd_loa (index marks, needs python3) instead of the sd_generic
#            configuration loa.conf + loa-speechd-say
# Then restart speech-dispatcher (`killall speech-dispatcher`; Orca starts it again) and try:
#   spd-say -o loa -l vi "Xin chào"
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
system=0 url=http://127.0.0.1:8080 default=0 native=0
while [ $# -gt 0 ]; do
  case "$1" in
    --system) system=1 ;;
    --url) url=${2:?--url needs a value}; shift ;;
    --default) default=1 ;;
    --native) native=1 ;;
    *) echo "install.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
case "$url" in
  http://* | https://*) ;;
  *) echo "install.sh: --url must start with http:// or https://" >&2; exit 2 ;;
esac

if [ "$system" = 1 ]; then
  bin=/usr/local/bin lib=/usr/local/lib/loa conf=/etc/speech-dispatcher
else
  bin=$HOME/.local/bin lib=$HOME/.local/lib/loa conf=${XDG_CONFIG_HOME:-$HOME/.config}/speech-dispatcher
fi
mkdir -p "$conf/modules"
if [ "$native" = 1 ]; then
  mkdir -p "$lib"
  install -m 755 "$here/sd_loa" "$lib/sd_loa"
  sed -e "s#^LoaServer .*#LoaServer \"$url\"#" "$here/loa-native.conf" >"$conf/modules/loa-native.conf"
  module="AddModule \"loa\" \"$lib/sd_loa\" \"loa-native.conf\""
  installed="$lib/sd_loa, $conf/modules/loa-native.conf"
else
  mkdir -p "$bin"
  install -m 755 "$here/loa-speechd-say" "$bin/loa-speechd-say"
  # The module runs the helper by its full path: speechd started by a session may not have
  # ~/.local/bin on its PATH.
  sed -e "s#loa-speechd-say http://127.0.0.1:8080#$bin/loa-speechd-say $url#" \
    -e "s#GenericCmdDependency \"loa-speechd-say\"#GenericCmdDependency \"$bin/loa-speechd-say\"#" \
    "$here/loa.conf" >"$conf/modules/loa.conf"
  module='AddModule "loa" "sd_generic" "loa.conf"'
  installed="$bin/loa-speechd-say, $conf/modules/loa.conf"
fi

# A user's speechd.conf replaces the system one, so start from a copy of it.
if [ ! -f "$conf/speechd.conf" ]; then
  cp /etc/speech-dispatcher/speechd.conf "$conf/speechd.conf"
fi
# One "loa" module: a reinstall replaces the line (switching between the two kinds).
sed -i '/^AddModule "loa" /d' "$conf/speechd.conf"
echo "$module" >>"$conf/speechd.conf"
if [ "$default" = 1 ]; then
  sed -i '/^DefaultModule /d' "$conf/speechd.conf"
  echo 'DefaultModule loa' >>"$conf/speechd.conf"
fi
echo "installed: $installed (server $url)"
echo "restart speech-dispatcher, then: spd-say -o loa -l vi \"Xin chào\""
