# nginx.sh: start Debian's nginx in front of jwtgate serve (sourced after
# lib.sh). One nginx, two server blocks: the front door with auth_request,
# and the "upstream" that answers with the claim headers it received and
# logs every request it sees (so a test can prove a refused request never
# reached it). Non-daemon, its own prefix, temp dirs and logs under $tmp.

# start_nginx JWTGATE_PORT: sets $front_port, $up_port, $nginx_pid; the
# upstream's request log is $tmp/nginx/upstream.log.
start_nginx() {
  local jport="$1" n="$tmp/nginx"
  mkdir -p "$n/tmp" "$n/logs"
  front_port=$(free_port); up_port=$(free_port)
  while [ "$up_port" = "$front_port" ]; do up_port=$(free_port); done
  # As root, nginx would switch its worker to "nobody", who cannot enter
  # the private temporary directory.
  local user=""
  [ "$(id -u)" -eq 0 ] && user="user root;"
  cat > "$n/nginx.conf" <<CONF
$user
daemon off;
worker_processes 1;
pid $n/nginx.pid;
error_log $n/logs/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path $n/tmp/body;
  proxy_temp_path $n/tmp/proxy;
  fastcgi_temp_path $n/tmp/fastcgi;
  uwsgi_temp_path $n/tmp/uwsgi;
  scgi_temp_path $n/tmp/scgi;
  access_log off;

  upstream jwtgate {
    server 127.0.0.1:$jport;
    keepalive 64;
  }

  server {
    listen 127.0.0.1:$front_port;

    location / {
      auth_request /_jwtgate;
      # Claims for the upstream: proxy_set_header replaces whatever the
      # client sent under the same names.
      auth_request_set \$jwt_oid \$upstream_http_x_jwt_oid;
      auth_request_set \$jwt_azp \$upstream_http_x_jwt_azp;
      auth_request_set \$jwt_sub \$upstream_http_x_jwt_sub;
      proxy_set_header X-Jwt-Oid \$jwt_oid;
      proxy_set_header X-Jwt-Azp \$jwt_azp;
      proxy_set_header X-Jwt-Sub \$jwt_sub;
      # nginx drops the body of an auth response: jwtgate repeats the
      # message in X-Jwtgate-Message, and the error pages send it back.
      auth_request_set \$jwt_message \$upstream_http_x_jwtgate_message;
      auth_request_set \$jwt_challenge \$upstream_http_www_authenticate;
      # auth_request turns any status but 2xx/401/403 into 500; jwtgate's
      # 400 (a request target it refuses to judge) goes back as 400.
      auth_request_set \$jwt_status \$upstream_status;
      error_page 401 = @jwt401;
      error_page 403 = @jwt403;
      error_page 500 = @jwt500;
      proxy_pass http://127.0.0.1:$up_port;
    }

    location = /_jwtgate {
      internal;
      proxy_pass http://jwtgate;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-URI \$request_uri;
    }

    location @jwt401 {
      default_type text/plain;
      add_header WWW-Authenticate \$jwt_challenge always;
      return 401 \$jwt_message;
    }
    location @jwt403 {
      default_type text/plain;
      return 403 \$jwt_message;
    }
    location @jwt500 {
      default_type text/plain;
      if (\$jwt_status = 400) {
        return 400 \$jwt_message;
      }
      return 500;
    }
  }

  server {
    listen 127.0.0.1:$up_port;
    access_log ${NGINX_UPSTREAM_LOG:-$n/upstream.log};
    location / {
      default_type text/plain;
      return 200 "upstream \$request_uri oid=\$http_x_jwt_oid azp=\$http_x_jwt_azp sub=\$http_x_jwt_sub\n";
    }
  }
}
CONF
  touch "$n/upstream.log"
  nginx -p "$n" -c "$n/nginx.conf" -e "$n/logs/error.log" &
  nginx_pid=$!; pids+=("$nginx_pid")
  wait_port "$front_port" && wait_port "$up_port" || { echo "nginx did not start:"; cat "$n/logs/error.log"; return 1; }
}

upstream_requests() { wc -l < "$tmp/nginx/upstream.log"; }
