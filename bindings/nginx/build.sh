#!/usr/bin/env bash
# build.sh BUILD_DIR [SOURCE_ROOT]: builds ngx_http_jwtgate_module.so into
# BUILD_DIR against Debian's nginx (nginx-dev: /usr/share/nginx/src, its
# configure flags in conf_flags, --with-compat), linking BUILD_DIR's
# libjwtgate.so. `meson setup build -Dnginx=enabled` runs it; by hand, after
# `meson setup build && ninja -C build src/libjwtgate.so`:
#   bash bindings/nginx/build.sh build
# Then: load_module /path/to/build/ngx_http_jwtgate_module.so;
#
# Environment: NGINX_SRC (default /usr/share/nginx/src); JWTGATE_MODULE_CFLAGS
# added to the module's compiler flags (e.g. -fsanitize=address).
set -euo pipefail
build=$(cd "$1" && pwd)
root=$(cd "${2:-$(dirname "$0")/../..}" && pwd)
src=${NGINX_SRC:-/usr/share/nginx/src}
if [ ! -x "$src/configure" ]; then
  echo "build.sh: $src/configure not found: install nginx-dev (scripts/install-deps.sh)" >&2
  exit 1
fi
work="$build/nginx-module"
# configure and make write into the source tree: work on a copy, once
# configured, rebuilt by make when the module's source changes.
stamp="$work/configured"
want="$(cat "$src/conf_flags") ${JWTGATE_MODULE_CFLAGS:-} $root"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  rm -rf "$work"
  mkdir -p "$work"
  cp -a "$src/." "$work/"
  # shellcheck disable=SC1091
  . "$work/conf_flags"   # NGX_CONF_FLAGS: how Debian's nginx was configured
  (
    cd "$work"
    # The library: the build tree's shared libjwtgate (and its rpath, so
    # that Debian's nginx finds it without LD_LIBRARY_PATH). The module sees
    # include/ (jwtgate.h) and the generated jwtgate_version.h only.
    JWTGATE_INCS="$root/include $build" \
    JWTGATE_LIBS="-L$build/src -ljwtgate -Wl,-rpath,$build/src" \
      ./configure "${NGX_CONF_FLAGS[@]}" --add-dynamic-module="$root/bindings/nginx" \
        --with-cc-opt="-g -O2 -fPIC -Wall -Werror ${JWTGATE_MODULE_CFLAGS:-}" \
        --with-ld-opt="-fPIC ${JWTGATE_MODULE_CFLAGS:-}" > configure.log 2>&1 ||
      { tail -30 configure.log >&2; exit 1; }
  )
  echo "$want" > "$stamp"
fi
make -C "$work" -f objs/Makefile modules > "$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; exit 1; }
cp "$work/objs/ngx_http_jwtgate_module.so" "$build/ngx_http_jwtgate_module.so"
echo "build.sh: $build/ngx_http_jwtgate_module.so"
