#!/usr/bin/env bash
# Builds the RPM packages from the distribution archive with coordinatool.spec:
#   build-rpms.sh ARCHIVE VERSION OUTDIR
# ARCHIVE is coordinatool-VERSION.tar.gz; the packages land in OUTDIR/RPMS/<arch>/.
set -euo pipefail
if (($# != 3)); then
	echo "usage: $0 ARCHIVE VERSION OUTDIR" >&2
	exit 2
fi
archive=$1 version=$2 out=$3

if ! command -v rpmbuild >/dev/null 2>&1; then
	echo "build-rpms.sh: rpmbuild not found: the build makes RPM packages with it;" \
		"install it (Debian: apt-get install rpm; RHEL, Fedora: dnf install rpm-build)" >&2
	exit 1
fi

# RPM versions cannot hold '-': 1.2.0 is version 1.2.0 release 1, and a pre-release such as
# 1.2.0-SNAPSHOT is version 1.2.0 release 0.snapshot, which sorts before 1.2.0-1.
rpm_version=${version%%-*}
suffix=${version#"$rpm_version"}
suffix=${suffix#-}
if [[ -n $suffix ]]; then
	release=0.${suffix,,}
	release=${release//-/.}
else
	release=1
fi

rm -rf "$out"
mkdir -p "$out/SOURCES"
cp "$archive" "$out/SOURCES/"
rpmbuild -bb --quiet \
	--define "_topdir $out" \
	--define "dist_version $version" \
	--define "rpm_version $rpm_version" \
	--define "rpm_release $release" \
	"$(dirname "$0")/coordinatool.spec"
