#!/usr/bin/env bash
# manylinux-deps.sh PREFIX: build the libraries jwtgate links that a
# manylinux_2_28 image (AlmaLinux 8) lacks or has too old, as shared
# libraries in PREFIX (cibuildwheel's before-all; docs/packaging.md):
# - OpenSSL 3.0 (LTS): the image's is 1.1.1, jwtgate needs libcrypto >= 3.0;
# - simdjson: not packaged;
# - libcurl over that OpenSSL, HTTP and HTTPS only (no LDAP, Kerberos, RTMP,
#   SSH, IDN, HTTP/2 or compression libraries: the key fetcher needs none, and
#   every one would be copied into the wheel by auditwheel);
# - pugixml: not in the base repositories.
# auditwheel repair then copies them into the wheel. Not run on the
# development machine (it has no container runtime); the versions are pinned,
# the downloads are over HTTPS from each project's release page.
set -euo pipefail
prefix="${1:-/usr/local}"
jobs="$(nproc)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

openssl_version=3.0.15
simdjson_version=3.10.1
curl_version=8.10.1
pugixml_version=1.14

fetch() { curl -fsSL --retry 3 -o "$2" "$1"; }

dnf install -y perl-IPC-Cmd perl-Pod-Html zlib-devel >/dev/null

fetch "https://github.com/openssl/openssl/releases/download/openssl-$openssl_version/openssl-$openssl_version.tar.gz" openssl.tar.gz
tar xf openssl.tar.gz
(cd "openssl-$openssl_version" &&
 ./Configure --prefix="$prefix" --libdir=lib --openssldir=/etc/pki/tls shared no-tests >/dev/null &&
 make -j"$jobs" >/dev/null && make install_sw >/dev/null)

fetch "https://github.com/simdjson/simdjson/archive/refs/tags/v$simdjson_version.tar.gz" simdjson.tar.gz
tar xf simdjson.tar.gz
cmake -S "simdjson-$simdjson_version" -B simdjson-build -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=ON -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib >/dev/null
cmake --build simdjson-build -j"$jobs" >/dev/null
cmake --install simdjson-build >/dev/null

fetch "https://curl.se/download/curl-$curl_version.tar.xz" curl.tar.xz
tar xf curl.tar.xz
(cd "curl-$curl_version" &&
 PKG_CONFIG_PATH="$prefix/lib/pkgconfig" LDFLAGS="-Wl,-rpath,$prefix/lib" \
 ./configure --prefix="$prefix" --libdir="$prefix/lib" --with-openssl="$prefix" \
   --disable-static --enable-http --disable-ftp --disable-file --disable-ldap --disable-ldaps \
   --disable-rtsp --disable-dict --disable-telnet --disable-tftp --disable-pop3 --disable-imap \
   --disable-smb --disable-smtp --disable-gopher --disable-mqtt --disable-manual \
   --without-libpsl --without-libidn2 --without-nghttp2 --without-libssh2 --without-librtmp \
   --without-brotli --without-zstd --without-gssapi --with-ca-fallback >/dev/null &&
 make -j"$jobs" >/dev/null && make install >/dev/null)

fetch "https://github.com/zeux/pugixml/releases/download/v$pugixml_version/pugixml-$pugixml_version.tar.gz" pugixml.tar.gz
tar xf pugixml.tar.gz
cmake -S "pugixml-$pugixml_version" -B pugixml-build -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=ON -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib >/dev/null
cmake --build pugixml-build -j"$jobs" >/dev/null
cmake --install pugixml-build >/dev/null

echo "manylinux-deps: OpenSSL $openssl_version, simdjson $simdjson_version, curl $curl_version, pugixml $pugixml_version in $prefix"
