#!/bin/sh
# Install what is missing (Debian 12 packages), build dovira, create a local
# database ./dovira.db if there is none, and start dovira on it.
#   ./quickstart.sh            all of that
#   ./quickstart.sh --build    install and build only (what CI does)
set -e
cd "$(dirname "$0")"
PACKAGES="build-essential autoconf automake autopoint libtool pkg-config gettext
libncurses-dev libsqlite3-dev uuid-dev sqlite3 python3 python3-pexpect python3-pyte
openssh-server openssh-client"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "quickstart: installing:$missing"
	if [ "$(id -u)" = 0 ]; then
		SUDO=""
	elif command -v sudo >/dev/null; then
		SUDO=sudo
	else
		echo "quickstart: run as root, or install:$missing" >&2
		exit 1
	fi
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
fi

[ -x configure ] || ./autogen.sh
[ -f Makefile ] || ./configure
make -j"$(nproc)"
[ "${1:-}" = --build ] && exit 0

# Run from the build tree: data files and translations come from here.
DOVIRA_DATADIR="$PWD/data"; export DOVIRA_DATADIR
DOVIRA_LOCALEDIR="$PWD/po/locale"; export DOVIRA_LOCALEDIR
[ -f dovira.db ] || ./src/dovira --db ./dovira.db init
exec ./src/dovira --db ./dovira.db
