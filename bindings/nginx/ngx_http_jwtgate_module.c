/*
 * ngx_http_jwtgate_module: nginx enforces API Management <validate-jwt> and
 * <validate-azure-ad-token> policies in its access phase, through
 * libjwtgate's public C headers only (jwtgate.h and, for the never-wait and
 * key APIs, jwtgate_experimental.h). docs/nginx.md is the manual:
 * directives, variables, how keys are fetched inside nginx, and the
 * comparison with NGINX Plus auth_jwt and kjdev/nginx-auth-jwt.
 *
 * Life cycle (docs/nginx.md, "Keys inside nginx"):
 *  - configuration (master, or `nginx -t`): every location with its own
 *    settings gets a validator; the policy is loaded here, so a bad policy
 *    fails `nginx -t` with its file, line and reason. No thread is started
 *    before the fork.
 *  - init_process (each worker, after the fork): the library's refresh
 *    thread of every validator that fetches keys starts, with every signal
 *    blocked in it (nginx's signals belong to the worker's event loop).
 *  - requests: validators are in never-wait mode, so no validation ever
 *    waits on the network. A request that arrives before the first keys
 *    are loaded waits on a timer (polling the key state every 20 ms, the
 *    worker serving others meanwhile) for at most jwtgate_keys_wait, then
 *    gets 503 with Retry-After.
 *  - exit_process (worker exit, after its requests finished, as on reload
 *    or stop): the validators are freed, which stops their threads. The
 *    master frees its copies with the cycle's pool.
 */
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <signal.h>
#include <stdlib.h>
#include <pthread.h>

#include <jwtgate_experimental.h> /* never-wait, host keys, key counters */

#define NGX_HTTP_JWTGATE_POLL_MS 20

typedef struct {
    ngx_str_t                  name;
    ngx_str_t                  value;
} ngx_http_jwtgate_pair_t;

/* jwtgate_decryption_key ID FILE [password_file=PATH | password_env=NAME] */
typedef struct {
    ngx_str_t                  id;
    ngx_str_t                  file;
    ngx_str_t                  password_file;
    ngx_str_t                  password_env;
} ngx_http_jwtgate_decryption_key_t;

typedef struct {
    ngx_http_complex_value_t   value;
    ngx_int_t                  status;      /* 401 or 403 */
} ngx_http_jwtgate_require_t;

typedef struct {
    ngx_flag_t                 enable;
    /* what the validator is made of: set here, the location gets its own */
    ngx_str_t                  policy_file;
    ngx_uint_t                 policy_line;
    ngx_str_t                  policy_conf_file;
    ngx_str_t                  select;
    ngx_array_t               *named_values;   /* ngx_http_jwtgate_pair_t */
    ngx_array_t               *expressions;    /* ngx_http_jwtgate_pair_t */
    ngx_array_t               *certificates;   /* ngx_http_jwtgate_pair_t: id, file */
    ngx_array_t               *decryption_keys; /* ngx_http_jwtgate_decryption_key_t */
    ngx_array_t               *key_files;      /* ngx_str_t */
    ngx_array_t               *documents;      /* ngx_http_jwtgate_pair_t: url, file */
    ngx_array_t               *document_kinds; /* ngx_uint_t, beside documents */
    ngx_array_t               *masked;         /* ngx_str_t */
    time_t                     leeway;
    ngx_int_t                  cache;
    ngx_msec_t                 refresh_interval;
    ngx_msec_t                 refetch_interval;
    ngx_msec_t                 max_staleness;
    ngx_msec_t                 fetch_timeout;
    ngx_flag_t                 allow_http_loopback;
    ngx_flag_t                 own;            /* a validator setting is set here */
    jwtgate_validator         *validator;
    ngx_flag_t                 built;
    /* how each request is judged */
    ngx_http_complex_value_t  *token;
    ngx_array_t               *requires;       /* ngx_http_jwtgate_require_t */
    ngx_msec_t                 keys_wait;
} ngx_http_jwtgate_loc_conf_t;

typedef struct {
    ngx_array_t                validators;     /* jwtgate_validator *, owned */
} ngx_http_jwtgate_main_conf_t;

typedef struct {
    jwtgate_result            *result;
    ngx_http_jwtgate_loc_conf_t *conf;
    ngx_msec_t                 wait_start;
    ngx_int_t                  status;         /* 0: not judged */
    unsigned                   valid:1;
    unsigned                   waiting:1;
    unsigned                   require_failed:1;
} ngx_http_jwtgate_ctx_t;

static ngx_int_t ngx_http_jwtgate_init(ngx_conf_t *cf);
static ngx_int_t ngx_http_jwtgate_add_variables(ngx_conf_t *cf);
static void *ngx_http_jwtgate_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_jwtgate_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_jwtgate_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child);
static ngx_int_t ngx_http_jwtgate_init_process(ngx_cycle_t *cycle);
static void ngx_http_jwtgate_exit_process(ngx_cycle_t *cycle);
static char *ngx_http_jwtgate_policy(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_jwtgate_pair(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_jwtgate_named_value(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_jwtgate_document(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_jwtgate_decryption_key(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_jwtgate_require(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_jwtgate_own_str_array(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_jwtgate_own_setting(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);

/* The validator settings nginx's own slots parse: the directive's post is
 * one of these, and ngx_http_jwtgate_own_setting marks the level as having
 * a validator of its own before the slot parses the value. */
typedef struct {
    char *(*set)(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
} ngx_http_jwtgate_slot_t;

static ngx_http_jwtgate_slot_t  ngx_http_jwtgate_sec = { ngx_conf_set_sec_slot };
static ngx_http_jwtgate_slot_t  ngx_http_jwtgate_msec = { ngx_conf_set_msec_slot };
static ngx_http_jwtgate_slot_t  ngx_http_jwtgate_num = { ngx_conf_set_num_slot };
static ngx_http_jwtgate_slot_t  ngx_http_jwtgate_flag = { ngx_conf_set_flag_slot };

static ngx_command_t ngx_http_jwtgate_commands[] = {

    { ngx_string("jwtgate"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, enable),
      NULL },

    { ngx_string("jwtgate_policy"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_jwtgate_policy,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("jwtgate_policy_select"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_jwtgate_policy,
      NGX_HTTP_LOC_CONF_OFFSET,
      1,
      NULL },

    { ngx_string("jwtgate_named_value"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE2,
      ngx_http_jwtgate_named_value,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, named_values),
      NULL },

    { ngx_string("jwtgate_expression_value"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE2,
      ngx_http_jwtgate_named_value,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, expressions),
      NULL },

    { ngx_string("jwtgate_certificate"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE2,
      ngx_http_jwtgate_pair,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, certificates),
      NULL },

    { ngx_string("jwtgate_decryption_key"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE23,
      ngx_http_jwtgate_decryption_key,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("jwtgate_keys"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_jwtgate_own_str_array,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, key_files),
      NULL },

    { ngx_string("jwtgate_openid_document"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE2,
      ngx_http_jwtgate_document,
      NGX_HTTP_LOC_CONF_OFFSET,
      JWTGATE_DOCUMENT_OPENID_CONFIGURATION,
      NULL },

    { ngx_string("jwtgate_jwks_document"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE2,
      ngx_http_jwtgate_document,
      NGX_HTTP_LOC_CONF_OFFSET,
      JWTGATE_DOCUMENT_JWKS,
      NULL },

    { ngx_string("jwtgate_mask_claim"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_jwtgate_own_str_array,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, masked),
      NULL },

    { ngx_string("jwtgate_leeway"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_jwtgate_own_setting,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, leeway),
      &ngx_http_jwtgate_sec },

    { ngx_string("jwtgate_cache"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_jwtgate_own_setting,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, cache),
      &ngx_http_jwtgate_num },

    { ngx_string("jwtgate_keys_refresh_interval"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_jwtgate_own_setting,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, refresh_interval),
      &ngx_http_jwtgate_msec },

    { ngx_string("jwtgate_keys_refetch_interval"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_jwtgate_own_setting,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, refetch_interval),
      &ngx_http_jwtgate_msec },

    { ngx_string("jwtgate_keys_max_staleness"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_jwtgate_own_setting,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, max_staleness),
      &ngx_http_jwtgate_msec },

    { ngx_string("jwtgate_keys_fetch_timeout"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_jwtgate_own_setting,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, fetch_timeout),
      &ngx_http_jwtgate_msec },

    { ngx_string("jwtgate_allow_http_loopback"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_http_jwtgate_own_setting,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, allow_http_loopback),
      &ngx_http_jwtgate_flag },

    { ngx_string("jwtgate_token"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_set_complex_value_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, token),
      NULL },

    { ngx_string("jwtgate_require"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_jwtgate_require,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("jwtgate_keys_wait"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_jwtgate_loc_conf_t, keys_wait),
      NULL },

      ngx_null_command
};

static ngx_http_module_t ngx_http_jwtgate_module_ctx = {
    ngx_http_jwtgate_add_variables,      /* preconfiguration */
    ngx_http_jwtgate_init,               /* postconfiguration */
    ngx_http_jwtgate_create_main_conf,   /* create main configuration */
    NULL,                                /* init main configuration */
    NULL,                                /* create server configuration */
    NULL,                                /* merge server configuration */
    ngx_http_jwtgate_create_loc_conf,    /* create location configuration */
    ngx_http_jwtgate_merge_loc_conf      /* merge location configuration */
};

ngx_module_t ngx_http_jwtgate_module = {
    NGX_MODULE_V1,
    &ngx_http_jwtgate_module_ctx,        /* module context */
    ngx_http_jwtgate_commands,           /* module directives */
    NGX_HTTP_MODULE,                     /* module type */
    NULL,                                /* init master */
    NULL,                                /* init module */
    ngx_http_jwtgate_init_process,       /* init process */
    NULL,                                /* init thread */
    NULL,                                /* exit thread */
    ngx_http_jwtgate_exit_process,       /* exit process */
    NULL,                                /* exit master */
    NGX_MODULE_V1_PADDING
};

/* ------------------------------------------------------------ per worker */

/* Results and requests are reused across requests of one worker (nginx
 * runs a worker's requests on one thread): a warm validation allocates
 * nothing in the library. */
#define NGX_HTTP_JWTGATE_SPARE 64
static jwtgate_result  *ngx_http_jwtgate_spare[NGX_HTTP_JWTGATE_SPARE];
static ngx_uint_t       ngx_http_jwtgate_nspare;
static jwtgate_request *ngx_http_jwtgate_req;

static void
ngx_http_jwtgate_ctx_cleanup(void *data)
{
    ngx_http_jwtgate_ctx_t *ctx = data;

    if (ctx->result == NULL) {
        return;
    }
    if (ngx_http_jwtgate_nspare < NGX_HTTP_JWTGATE_SPARE) {
        ngx_http_jwtgate_spare[ngx_http_jwtgate_nspare++] = ctx->result;
    } else {
        jwtgate_result_free(ctx->result);
    }
    ctx->result = NULL;
}

/* The context survives internal redirects (error_page, try_files), which
 * clear r->ctx: it is found again through the pool cleanup that owns it,
 * so $jwtgate_* still read in an error page or the access log. */
static ngx_http_jwtgate_ctx_t *
ngx_http_jwtgate_get_ctx(ngx_http_request_t *r)
{
    ngx_pool_cleanup_t     *cln;
    ngx_http_jwtgate_ctx_t *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_jwtgate_module);
    if (ctx != NULL || !(r->internal || r->filter_finalize)) {
        return ctx;
    }
    for (cln = r->pool->cleanup; cln; cln = cln->next) {
        if (cln->handler == ngx_http_jwtgate_ctx_cleanup) {
            ctx = cln->data;
            ngx_http_set_ctx(r, ctx, ngx_http_jwtgate_module);
            return ctx;
        }
    }
    return NULL;
}

static ngx_http_jwtgate_ctx_t *
ngx_http_jwtgate_new_ctx(ngx_http_request_t *r)
{
    ngx_pool_cleanup_t     *cln;
    ngx_http_jwtgate_ctx_t *ctx;

    cln = ngx_pool_cleanup_add(r->pool, sizeof(ngx_http_jwtgate_ctx_t));
    if (cln == NULL) {
        return NULL;
    }
    ctx = cln->data;
    ngx_memzero(ctx, sizeof(ngx_http_jwtgate_ctx_t));
    if (ngx_http_jwtgate_nspare > 0) {
        ctx->result = ngx_http_jwtgate_spare[--ngx_http_jwtgate_nspare];
    } else {
        ctx->result = jwtgate_result_new();
        if (ctx->result == NULL) {
            return NULL;
        }
    }
    cln->handler = ngx_http_jwtgate_ctx_cleanup;
    ngx_http_set_ctx(r, ctx, ngx_http_jwtgate_module);
    return ctx;
}

/* ------------------------------------------------------------ responses */

/* RFC 6750 3: error_description holds %x20-21 / %x23-5B / %x5D-7E only.
 * The message (one line, token text escaped by the library) is written
 * with '"' as '\'' and every other character outside that set, '\' among
 * them, as '?'; the response body carries it unchanged. */
static u_char *
ngx_http_jwtgate_description(u_char *p, const char *msg, size_t max)
{
    size_t  i;
    u_char  c;

    for (i = 0; msg[i] && i < max; i++) {
        c = (u_char) msg[i];
        if (c == '"') {
            c = '\'';
        } else if (c < 0x20 || c > 0x7e || c == '\\') {
            c = '?';
        }
        *p++ = c;
    }
    return p;
}

static ngx_int_t
ngx_http_jwtgate_challenge(ngx_http_request_t *r, const char *error,
    const char *description)
{
    ngx_table_elt_t  *h;
    size_t            len;
    u_char           *p;

    len = sizeof("Bearer error=\"\", error_description=\"\"") + 64
          + (description ? ngx_strlen(description) : 0);
    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_ERROR;
    }
    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_ERROR;
    }
    h->hash = 1;
    ngx_str_set(&h->key, "WWW-Authenticate");
    h->value.data = p;
    if (error == NULL) {
        /* RFC 6750 3.1: no credentials, no error code */
        p = ngx_cpymem(p, "Bearer", sizeof("Bearer") - 1);
    } else {
        p = ngx_sprintf(p, "Bearer error=\"%s\"", error);
        if (description && description[0]) {
            p = ngx_cpymem(p, ", error_description=\"", sizeof(", error_description=\"") - 1);
            p = ngx_http_jwtgate_description(p, description, ngx_strlen(description));
            *p++ = '"';
        }
    }
    h->value.len = p - h->value.data;
    r->headers_out.www_authenticate = h;
    return NGX_OK;
}

/* ngx_http_jwtgate_respond: the refusal. Under "satisfy all" with no
 * error_page for the status, the module answers itself, with the APIM
 * message as a text/plain body; otherwise the status goes back to nginx's
 * access phase (which, under "satisfy any", tries the other access modules
 * and drops WWW-Authenticate if one of them allows). */
static ngx_int_t
ngx_http_jwtgate_respond(ngx_http_request_t *r, ngx_int_t status, const char *message)
{
    ngx_http_core_loc_conf_t  *clcf;
    ngx_http_err_page_t       *ep;
    ngx_http_complex_value_t   cv;
    ngx_uint_t                 i;
    size_t                     len;
    u_char                    *body;
    ngx_int_t                  rc;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);
    if (clcf->satisfy != NGX_HTTP_SATISFY_ALL) {
        return status;
    }
    if (clcf->error_pages) {
        ep = clcf->error_pages->elts;
        for (i = 0; i < clcf->error_pages->nelts; i++) {
            if (ep[i].status == status) {
                return status;
            }
        }
    }
    len = ngx_strlen(message);
    body = ngx_pnalloc(r->pool, len + 1);
    if (body == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    ngx_memcpy(body, message, len);
    body[len++] = '\n';
    ngx_memzero(&cv, sizeof(ngx_http_complex_value_t));
    cv.value.data = body;
    cv.value.len = len;
    ngx_str_set(&r->headers_out.content_type, "text/plain; charset=utf-8");
    r->headers_out.content_type_len = sizeof("text/plain") - 1;
    rc = ngx_http_send_response(r, status, NULL, &cv);
    ngx_http_finalize_request(r, rc);
    return NGX_DONE;
}

static void
ngx_http_jwtgate_log_refusal(ngx_http_request_t *r, ngx_http_jwtgate_ctx_t *ctx)
{
    jwtgate_result *res = ctx->result;
    size_t          i, n;

    if (r->connection->log->log_level < NGX_LOG_INFO) {
        return;
    }
    /* The library's detail: claim names and values (masked ones as ***),
     * never the token, a signature or key material. */
    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "jwtgate: %i %s: %s (%s): %s", ctx->status,
                  jwtgate_reason_apim(jwtgate_result_reason(res)),
                  jwtgate_reason_str(jwtgate_result_reason(res)),
                  jwtgate_result_subject(res), jwtgate_result_detail(res));
    n = jwtgate_result_failure_count(res);
    for (i = 1; i < n && i < 8; i++) {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0, "jwtgate: also %s (%s): %s",
                      jwtgate_reason_str(jwtgate_result_failure_reason(res, i)),
                      jwtgate_result_failure_subject(res, i),
                      jwtgate_result_failure_detail(res, i));
    }
}

/* ------------------------------------------------------------ the check */

static ngx_int_t
ngx_http_jwtgate_fill_request(ngx_http_request_t *r)
{
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;
    ngx_uint_t        i;
    u_char           *p, *end, *amp, *eq, *name;

    jwtgate_request_clear(ngx_http_jwtgate_req);
    part = &r->headers_in.headers.part;
    h = part->elts;
    for (i = 0; /* void */; i++) {
        if (i >= part->nelts) {
            if (part->next == NULL) {
                break;
            }
            part = part->next;
            h = part->elts;
            i = 0;
        }
        /* nginx ends header names and values with NUL */
        if (jwtgate_request_add_header(ngx_http_jwtgate_req, (const char *) h[i].key.data,
                                       (const char *) h[i].value.data, h[i].value.len)
            != JWTGATE_OK)
        {
            return NGX_ERROR;
        }
    }
    /* every query parameter, repeated ones included (the library refuses a
     * token parameter that comes twice) */
    p = r->args.data;
    end = p + r->args.len;
    while (p < end) {
        amp = ngx_strlchr(p, end, '&');
        if (amp == NULL) {
            amp = end;
        }
        eq = ngx_strlchr(p, amp, '=');
        if (eq == NULL) {
            eq = amp;
        }
        name = ngx_pnalloc(r->pool, eq - p + 1);
        if (name == NULL) {
            return NGX_ERROR;
        }
        ngx_memcpy(name, p, eq - p);
        name[eq - p] = '\0';
        if (jwtgate_request_add_query(ngx_http_jwtgate_req, (const char *) name,
                                      eq < amp ? (const char *) eq + 1 : "",
                                      eq < amp ? (size_t) (amp - eq - 1) : 0)
            != JWTGATE_OK)
        {
            return NGX_ERROR;
        }
        p = amp + 1;
    }
    return NGX_OK;
}

static void
ngx_http_jwtgate_wait_handler(ngx_http_request_t *r)
{
    ngx_event_t  *wev = r->connection->write;

    /* the connection became writable before the timer: wait on */
    if (wev->delayed) {
        if (ngx_handle_write_event(wev, 0) != NGX_OK) {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        }
        return;
    }
    if (ngx_handle_read_event(r->connection->read, 0) != NGX_OK) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }
    r->read_event_handler = ngx_http_block_reading;
    r->write_event_handler = ngx_http_core_run_phases;
    ngx_http_core_run_phases(r);
}

static ngx_int_t
ngx_http_jwtgate_unavailable(ngx_http_request_t *r, ngx_http_jwtgate_ctx_t *ctx)
{
    ngx_table_elt_t  *h;

    ctx->status = NGX_HTTP_SERVICE_UNAVAILABLE;
    ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                  "jwtgate: 503: the signing keys are still loading after %M ms "
                  "(jwtgate_keys_wait)", ngx_current_msec - ctx->wait_start);
    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    h->hash = 1;
    ngx_str_set(&h->key, "Retry-After");
    ngx_str_set(&h->value, "1");
    return ngx_http_jwtgate_respond(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                                    "Service unavailable: the signing keys are loading.");
}

static ngx_int_t
ngx_http_jwtgate_check_requires(ngx_http_request_t *r, ngx_http_jwtgate_loc_conf_t *lcf)
{
    ngx_http_jwtgate_require_t *req;
    ngx_str_t                   v;
    ngx_uint_t                  i;

    if (lcf->requires == NULL) {
        return NGX_OK;
    }
    req = lcf->requires->elts;
    for (i = 0; i < lcf->requires->nelts; i++) {
        if (ngx_http_complex_value(r, &req[i].value, &v) != NGX_OK) {
            return NGX_ERROR;
        }
        /* NGINX Plus auth_jwt_require: empty or "0" fails */
        if (v.len == 0 || (v.len == 1 && v.data[0] == '0')) {
            return req[i].status;
        }
    }
    return NGX_OK;
}

static ngx_int_t
ngx_http_jwtgate_handler(ngx_http_request_t *r)
{
    ngx_http_jwtgate_loc_conf_t *lcf;
    ngx_http_jwtgate_ctx_t      *ctx;
    jwtgate_status               st;
    jwtgate_keys_state           state;
    jwtgate_reason               reason;
    ngx_str_t                    token;
    ngx_int_t                    rc;
    const char                  *error;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_jwtgate_module);
    if (!lcf->enable || lcf->validator == NULL) {
        return NGX_DECLINED;
    }
    ctx = ngx_http_get_module_ctx(r, ngx_http_jwtgate_module);
    if (ctx == NULL) {
        ctx = ngx_http_jwtgate_new_ctx(r);
        if (ctx == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    ctx->conf = lcf;
    ctx->waiting = 0;

    if (lcf->token) {
        if (ngx_http_complex_value(r, lcf->token, &token) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
        st = jwtgate_validate_token(lcf->validator, ctx->result, (const char *) token.data,
                                    token.len, JWTGATE_NOW);
    } else {
        if (ngx_http_jwtgate_fill_request(r) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
        st = jwtgate_validate_request(lcf->validator, ctx->result, ngx_http_jwtgate_req,
                                      JWTGATE_NOW);
    }

    if (st == JWTGATE_OK) {
        ctx->valid = 1;
        ctx->status = NGX_HTTP_OK;
        rc = ngx_http_jwtgate_check_requires(r, lcf);
        if (rc == NGX_OK) {
            return NGX_OK;
        }
        if (rc == NGX_ERROR) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
        ctx->require_failed = 1;
        ctx->status = rc;
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "jwtgate: %i: the token is valid, and a jwtgate_require condition "
                      "is empty or 0", rc);
        if (ngx_http_jwtgate_challenge(r, rc == NGX_HTTP_FORBIDDEN ? "insufficient_scope"
                                                                  : "invalid_token",
                                       "Access denied.") != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
        return ngx_http_jwtgate_respond(r, rc, "Access denied.");
    }
    if (st != JWTGATE_INVALID_TOKEN) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0, "jwtgate: validation failed: %s",
                      jwtgate_status_str(st));
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->valid = 0;
    reason = jwtgate_result_reason(ctx->result);
    if (reason == JWTGATE_REASON_KEYS_UNAVAILABLE
        && jwtgate_validator_wait_keys(lcf->validator, 0, &state) == JWTGATE_OK
        && state == JWTGATE_KEYS_STATE_LOADING)
    {
        /* The first keys are on their way (the refresh thread fetches them):
         * wait on a timer, as limit_req's delay does, never blocking. */
        if (ctx->wait_start == 0) {
            ctx->wait_start = ngx_current_msec ? ngx_current_msec : 1;
        }
        if (ngx_current_msec - ctx->wait_start < lcf->keys_wait) {
            ctx->waiting = 1;
            r->read_event_handler = ngx_http_test_reading;
            r->write_event_handler = ngx_http_jwtgate_wait_handler;
            r->connection->write->delayed = 1;
            ngx_add_timer(r->connection->write, NGX_HTTP_JWTGATE_POLL_MS);
            return NGX_AGAIN;
        }
        return ngx_http_jwtgate_unavailable(r, ctx);
    }

    ctx->status = jwtgate_result_http_status(ctx->result);
    ngx_http_jwtgate_log_refusal(r, ctx);
    /* RFC 6750 3.1 */
    error = reason == JWTGATE_REASON_TOKEN_NOT_PRESENT ? NULL
            : reason == JWTGATE_REASON_DUPLICATE_TOKEN ? "invalid_request"
            : "invalid_token";
    if (ngx_http_jwtgate_challenge(r, error, jwtgate_result_message(ctx->result)) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    return ngx_http_jwtgate_respond(r, ctx->status, jwtgate_result_message(ctx->result));
}

/* ------------------------------------------------------------ variables */

enum {
    NGX_HTTP_JWTGATE_VAR_STATUS,
    NGX_HTTP_JWTGATE_VAR_REASON,
    NGX_HTTP_JWTGATE_VAR_MESSAGE,
    NGX_HTTP_JWTGATE_VAR_EXPLAIN,
    NGX_HTTP_JWTGATE_VAR_CLAIMS,
    NGX_HTTP_JWTGATE_VAR_VALID
};

/* Values that reach headers and logs: a control byte (which a JSON string
 * may hold, escaped, and proxy_set_header would pass raw) becomes \xHH. */
static ngx_int_t
ngx_http_jwtgate_set_value(ngx_http_request_t *r, ngx_http_variable_value_t *v,
    const char *s, size_t len)
{
    size_t   i, extra = 0;
    u_char  *p, c;

    for (i = 0; i < len; i++) {
        c = (u_char) s[i];
        if (c < 0x20 || c == 0x7f) {
            extra += 3;
        }
    }
    p = ngx_pnalloc(r->pool, len + extra + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }
    v->data = p;
    for (i = 0; i < len; i++) {
        c = (u_char) s[i];
        if (c < 0x20 || c == 0x7f) {
            p = ngx_sprintf(p, "\\x%02xd", (int) c);
        } else {
            *p++ = c;
        }
    }
    v->len = p - v->data;
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;
    return NGX_OK;
}

static ngx_int_t
ngx_http_jwtgate_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_http_jwtgate_ctx_t *ctx;
    const char             *s;
    size_t                  len;
    u_char                  buf[NGX_INT_T_LEN];
    jwtgate_reason          reason;

    ctx = ngx_http_jwtgate_get_ctx(r);
    if (ctx == NULL || ctx->status == 0) {
        v->not_found = 1;
        return NGX_OK;
    }
    reason = ctx->valid ? JWTGATE_REASON_NONE : jwtgate_result_reason(ctx->result);
    switch (data) {
    case NGX_HTTP_JWTGATE_VAR_STATUS:
        len = ngx_sprintf(buf, "%i", ctx->status) - buf;
        return ngx_http_jwtgate_set_value(r, v, (const char *) buf, len);
    case NGX_HTTP_JWTGATE_VAR_VALID:
        s = ctx->valid && !ctx->require_failed ? "1" : "0";
        return ngx_http_jwtgate_set_value(r, v, s, 1);
    case NGX_HTTP_JWTGATE_VAR_REASON:
        if (ctx->status == NGX_HTTP_SERVICE_UNAVAILABLE) {
            s = "KeysLoading";
        } else if (ctx->require_failed) {
            s = "RequirementNotMet";
        } else {
            s = jwtgate_reason_apim(reason);
        }
        return ngx_http_jwtgate_set_value(r, v, s, ngx_strlen(s));
    case NGX_HTTP_JWTGATE_VAR_MESSAGE:
        s = ctx->require_failed ? "Access denied." : jwtgate_result_message(ctx->result);
        return ngx_http_jwtgate_set_value(r, v, s, ngx_strlen(s));
    case NGX_HTTP_JWTGATE_VAR_EXPLAIN: {
        /* one line: the deciding check, then the others (the library's
         * details: never the token or key material; masked claims ***) */
        size_t i, n, total;
        u_char *p, *start;
        if (ctx->valid) {
            s = ctx->require_failed ? "valid token; a jwtgate_require condition failed"
                                    : "valid";
            return ngx_http_jwtgate_set_value(r, v, s, ngx_strlen(s));
        }
        if (ctx->status == NGX_HTTP_SERVICE_UNAVAILABLE) {
            s = "keys_loading: the signing keys were still loading after jwtgate_keys_wait";
            return ngx_http_jwtgate_set_value(r, v, s, ngx_strlen(s));
        }
        n = jwtgate_result_failure_count(ctx->result);
        total = 0;
        for (i = 0; i < n; i++) {
            total += ngx_strlen(jwtgate_reason_str(jwtgate_result_failure_reason(ctx->result, i)))
                     + ngx_strlen(jwtgate_result_failure_subject(ctx->result, i))
                     + ngx_strlen(jwtgate_result_failure_detail(ctx->result, i)) + 8;
        }
        start = ngx_pnalloc(r->pool, total + 1);
        if (start == NULL) {
            return NGX_ERROR;
        }
        p = start;
        for (i = 0; i < n; i++) {
            p = ngx_sprintf(p, "%s%s (%s): %s", i ? "; " : "",
                            jwtgate_reason_str(jwtgate_result_failure_reason(ctx->result, i)),
                            jwtgate_result_failure_subject(ctx->result, i),
                            jwtgate_result_failure_detail(ctx->result, i));
        }
        return ngx_http_jwtgate_set_value(r, v, (const char *) start, p - start);
    }
    case NGX_HTTP_JWTGATE_VAR_CLAIMS:
        /* claims of a valid token only: an invalid one's are the sender's */
        if (!ctx->valid
            || jwtgate_result_part_json(ctx->result, JWTGATE_PART_CLAIMS, &s, &len) != JWTGATE_OK)
        {
            v->not_found = 1;
            return NGX_OK;
        }
        return ngx_http_jwtgate_set_value(r, v, s, len);
    }
    v->not_found = 1;
    return NGX_OK;
}

/* $jwtgate_claim_NAME and $jwtgate_header_NAME: a string as it is, an array
 * of strings joined with ",", anything else as compact JSON. Valid tokens
 * only. Names are what nginx lower-cased. */
static ngx_int_t
ngx_http_jwtgate_member_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v,
    uintptr_t data)
{
    ngx_str_t              *var = (ngx_str_t *) data;
    ngx_http_jwtgate_ctx_t *ctx;
    jwtgate_part            part;
    size_t                  prefix, n, i, len, total;
    const char             *s;
    u_char                 *name, *p, *start;
    jwtgate_status          st;

    ctx = ngx_http_jwtgate_get_ctx(r);
    if (ctx == NULL || !ctx->valid) {
        v->not_found = 1;
        return NGX_OK;
    }
    if (var->len > sizeof("jwtgate_claim_") - 1
        && ngx_strncmp(var->data, "jwtgate_claim_", sizeof("jwtgate_claim_") - 1) == 0)
    {
        part = JWTGATE_PART_CLAIMS;
        prefix = sizeof("jwtgate_claim_") - 1;
    } else {
        part = JWTGATE_PART_HEADER;
        prefix = sizeof("jwtgate_header_") - 1;
    }
    name = ngx_pnalloc(r->pool, var->len - prefix + 1);
    if (name == NULL) {
        return NGX_ERROR;
    }
    ngx_memcpy(name, var->data + prefix, var->len - prefix);
    name[var->len - prefix] = '\0';

    st = jwtgate_result_get_string(ctx->result, part, (const char *) name, &s, &len);
    if (st == JWTGATE_OK) {
        return ngx_http_jwtgate_set_value(r, v, s, len);
    }
    if (st == JWTGATE_ERR_NOT_FOUND) {
        v->not_found = 1;
        return NGX_OK;
    }
    if (jwtgate_result_get_array_size(ctx->result, part, (const char *) name, &n) == JWTGATE_OK) {
        total = 0;
        for (i = 0; i < n; i++) {
            if (jwtgate_result_get_array_string(ctx->result, part, (const char *) name, i, &s,
                                                &len) != JWTGATE_OK) {
                break;
            }
            total += len + 1;
        }
        if (i == n) {
            start = ngx_pnalloc(r->pool, total + 1);
            if (start == NULL) {
                return NGX_ERROR;
            }
            p = start;
            for (i = 0; i < n; i++) {
                (void) jwtgate_result_get_array_string(ctx->result, part, (const char *) name, i,
                                                       &s, &len);
                if (i) {
                    *p++ = ',';
                }
                p = ngx_cpymem(p, s, len);
            }
            return ngx_http_jwtgate_set_value(r, v, (const char *) start, p - start);
        }
    }
    if (jwtgate_result_get_json(ctx->result, part, (const char *) name, &s, &len) == JWTGATE_OK) {
        return ngx_http_jwtgate_set_value(r, v, s, len);
    }
    v->not_found = 1;
    return NGX_OK;
}

static ngx_int_t
ngx_http_jwtgate_add_variables(ngx_conf_t *cf)
{
    /* the prefix variables are jwtgate_claim_NAME and jwtgate_header_NAME */
    static const struct {
        const char                *name;
        ngx_http_get_variable_pt   get;
        ngx_uint_t                 flags;
        uintptr_t                  data;
    } vars[] = {
        { "jwtgate_status", ngx_http_jwtgate_variable, 0, NGX_HTTP_JWTGATE_VAR_STATUS },
        { "jwtgate_reason", ngx_http_jwtgate_variable, 0, NGX_HTTP_JWTGATE_VAR_REASON },
        { "jwtgate_message", ngx_http_jwtgate_variable, 0, NGX_HTTP_JWTGATE_VAR_MESSAGE },
        { "jwtgate_explain", ngx_http_jwtgate_variable, 0, NGX_HTTP_JWTGATE_VAR_EXPLAIN },
        { "jwtgate_claims", ngx_http_jwtgate_variable, 0, NGX_HTTP_JWTGATE_VAR_CLAIMS },
        { "jwtgate_valid", ngx_http_jwtgate_variable, 0, NGX_HTTP_JWTGATE_VAR_VALID },
        { "jwtgate_claim_", ngx_http_jwtgate_member_variable, NGX_HTTP_VAR_PREFIX, 0 },
        { "jwtgate_header_", ngx_http_jwtgate_member_variable, NGX_HTTP_VAR_PREFIX, 0 },
    };
    ngx_http_variable_t *var;
    ngx_str_t            name;
    ngx_uint_t           i;

    for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        name.data = (u_char *) vars[i].name;
        name.len = ngx_strlen(vars[i].name);
        var = ngx_http_add_variable(cf, &name, NGX_HTTP_VAR_NOCACHEABLE|vars[i].flags);
        if (var == NULL) {
            return NGX_ERROR;
        }
        var->get_handler = vars[i].get;
        var->data = vars[i].data;
    }
    return NGX_OK;
}

/* ------------------------------------------------------------ configuration */

static void *
ngx_http_jwtgate_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_jwtgate_main_conf_t *mcf;

    mcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_jwtgate_main_conf_t));
    if (mcf == NULL) {
        return NULL;
    }
    if (ngx_array_init(&mcf->validators, cf->pool, 4, sizeof(jwtgate_validator *)) != NGX_OK) {
        return NULL;
    }
    return mcf;
}

static void *
ngx_http_jwtgate_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_jwtgate_loc_conf_t *conf;

    conf = ngx_pcalloc(cf->pool, sizeof(ngx_http_jwtgate_loc_conf_t));
    if (conf == NULL) {
        return NULL;
    }
    conf->enable = NGX_CONF_UNSET;
    conf->named_values = NGX_CONF_UNSET_PTR;
    conf->expressions = NGX_CONF_UNSET_PTR;
    conf->certificates = NGX_CONF_UNSET_PTR;
    conf->decryption_keys = NGX_CONF_UNSET_PTR;
    conf->key_files = NGX_CONF_UNSET_PTR;
    conf->documents = NGX_CONF_UNSET_PTR;
    conf->document_kinds = NGX_CONF_UNSET_PTR;
    conf->masked = NGX_CONF_UNSET_PTR;
    conf->leeway = NGX_CONF_UNSET;
    conf->cache = NGX_CONF_UNSET;
    conf->refresh_interval = NGX_CONF_UNSET_MSEC;
    conf->refetch_interval = NGX_CONF_UNSET_MSEC;
    conf->max_staleness = NGX_CONF_UNSET_MSEC;
    conf->fetch_timeout = NGX_CONF_UNSET_MSEC;
    conf->allow_http_loopback = NGX_CONF_UNSET;
    conf->token = NGX_CONF_UNSET_PTR;
    conf->requires = NGX_CONF_UNSET_PTR;
    conf->keys_wait = NGX_CONF_UNSET_MSEC;
    return conf;
}

/* A free of the validators when the configuration's pool goes: in the
 * master after a reload, on a failed reload, after `nginx -t`. */
static void
ngx_http_jwtgate_free_validators(void *data)
{
    ngx_http_jwtgate_main_conf_t *mcf = data;
    jwtgate_validator           **v = mcf->validators.elts;
    ngx_uint_t                    i;

    for (i = 0; i < mcf->validators.nelts; i++) {
        jwtgate_validator_free(v[i]);
        v[i] = NULL;
    }
}

static void
ngx_http_jwtgate_log_errors(ngx_conf_t *cf, ngx_http_jwtgate_loc_conf_t *conf,
    const char *what, const char *file, jwtgate_error *err, jwtgate_status st)
{
    size_t i, n = jwtgate_error_count(err);

    if (n == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "jwtgate: %s \"%s\": %s", what, file,
                           jwtgate_status_str(st));
        return;
    }
    for (i = 0; i < n; i++) {
        if (jwtgate_error_is_warning(err, i)) {
            continue;
        }
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "jwtgate: %s %s:%ud:%ud: %s%s%s", what, file,
                           jwtgate_error_line(err, i), jwtgate_error_column(err, i),
                           jwtgate_error_path(err, i),
                           jwtgate_error_path(err, i)[0] ? ": " : "",
                           jwtgate_error_message(err, i));
    }
}

static char *
ngx_http_jwtgate_read_file(ngx_conf_t *cf, ngx_str_t *name, ngx_str_t *out)
{
    ngx_fd_t         fd;
    ngx_file_info_t  fi;
    ssize_t          n;
    ngx_str_t        path = *name;

    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }
    fd = ngx_open_file(path.data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (fd == NGX_INVALID_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno, "jwtgate: cannot open \"%V\"", &path);
        return NGX_CONF_ERROR;
    }
    if (ngx_fd_info(fd, &fi) == NGX_FILE_ERROR || ngx_file_size(&fi) > 16 * 1024 * 1024) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "jwtgate: cannot read \"%V\" (or over 16 MiB)",
                           &path);
        ngx_close_file(fd);
        return NGX_CONF_ERROR;
    }
    out->len = ngx_file_size(&fi);
    out->data = ngx_pnalloc(cf->pool, out->len + 1);
    if (out->data == NULL) {
        ngx_close_file(fd);
        return NGX_CONF_ERROR;
    }
    n = ngx_read_fd(fd, out->data, out->len);
    ngx_close_file(fd);
    if (n != (ssize_t) out->len) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno, "jwtgate: cannot read \"%V\"", &path);
        return NGX_CONF_ERROR;
    }
    out->data[out->len] = '\0';
    return NGX_CONF_OK;
}

static char *
ngx_http_jwtgate_cstr(ngx_conf_t *cf, ngx_str_t *s, char **out)
{
    *out = (char *) ngx_pnalloc(cf->pool, s->len + 1);
    if (*out == NULL) {
        return NGX_CONF_ERROR;
    }
    ngx_memcpy(*out, s->data, s->len);
    (*out)[s->len] = '\0';
    return NGX_CONF_OK;
}

/* ngx_http_jwtgate_add_decryption_key: the private key of
 * <decryption-keys><key certificate-id="ID"> (PEM, DER PKCS#8, PKCS#12 or
 * a private JWK), with its password from a file or the master's
 * environment. The key's and password's bytes are wiped from the
 * configuration pool as soon as the library holds the key; the messages
 * logged never hold key material (jwtgate_experimental.h). */
static char *
ngx_http_jwtgate_add_decryption_key(ngx_conf_t *cf, ngx_http_jwtgate_loc_conf_t *conf,
    jwtgate_load_options *lo, const char *id, ngx_http_jwtgate_decryption_key_t *k)
{
    ngx_str_t        key, pw = ngx_null_string;
    char            *password = NULL, *env_name, *rv = NGX_CONF_ERROR;
    const char      *env;
    jwtgate_error   *err = NULL;
    jwtgate_status   st;

    if (ngx_http_jwtgate_read_file(cf, &k->file, &key) != NGX_CONF_OK) {
        return NGX_CONF_ERROR;
    }
    if (k->password_file.len) {
        if (ngx_http_jwtgate_read_file(cf, &k->password_file, &pw) != NGX_CONF_OK) {
            goto done;
        }
        /* a password file usually ends with a newline that is not part of it */
        while (pw.len && (pw.data[pw.len - 1] == '\n' || pw.data[pw.len - 1] == '\r')) {
            pw.data[--pw.len] = '\0';
        }
        password = (char *) pw.data;
    } else if (k->password_env.len) {
        if (ngx_http_jwtgate_cstr(cf, &k->password_env, &env_name) != NGX_CONF_OK) {
            goto done;
        }
        env = getenv(env_name);
        if (env == NULL) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "jwtgate: the environment variable \"%s\" of the decryption key "
                               "\"%s\" is not set", env_name, id);
            goto done;
        }
        pw.len = ngx_strlen(env);
        pw.data = ngx_pnalloc(cf->pool, pw.len + 1);
        if (pw.data == NULL) {
            goto done;
        }
        ngx_memcpy(pw.data, env, pw.len + 1);
        password = (char *) pw.data;
    }
    st = jwtgate_load_options_add_decryption_key(lo, &err, id, (const char *) key.data, key.len,
                                                 password);
    if (st != JWTGATE_OK) {
        ngx_http_jwtgate_log_errors(cf, conf, "jwtgate_decryption_key",
                                    (const char *) k->file.data, err, st);
        goto done;
    }
    rv = NGX_CONF_OK;
done:
    jwtgate_error_free(err);
    ngx_explicit_memzero(key.data, key.len);
    if (pw.data) {
        ngx_explicit_memzero(pw.data, pw.len);
    }
    return rv;
}

/* ngx_http_jwtgate_build: the validator of a location with settings of its
 * own (NGX_CONF_OK without one when it has no policy). */
static char *
ngx_http_jwtgate_build(ngx_conf_t *cf, ngx_http_jwtgate_loc_conf_t *conf)
{
    ngx_http_jwtgate_main_conf_t *mcf;
    jwtgate_load_options         *lo = NULL;
    jwtgate_validator_options    *vo = NULL;
    jwtgate_policy               *policy = NULL, *skewed = NULL;
    jwtgate_keyset_builder       *kb = NULL;
    jwtgate_keyset               *keys = NULL;
    jwtgate_error                *err = NULL;
    jwtgate_key_counters          counters;
    jwtgate_status                st;
    jwtgate_validator           **slot;
    ngx_http_jwtgate_pair_t      *pair;
    ngx_http_jwtgate_decryption_key_t *dkey;
    ngx_str_t                    *str, path, text;
    ngx_uint_t                   *kinds, i;
    char                         *a, *b, *file, *rv = NGX_CONF_ERROR;

    conf->built = 1;
    if (conf->policy_file.len == 0) {
        return NGX_CONF_OK;
    }
    mcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_jwtgate_module);
    path = conf->policy_file;
    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }
    if (ngx_http_jwtgate_cstr(cf, &path, &file) != NGX_CONF_OK) {
        return NGX_CONF_ERROR;
    }
    lo = jwtgate_load_options_new();
    vo = jwtgate_validator_options_new();
    kb = jwtgate_keyset_builder_new();
    if (lo == NULL || vo == NULL || kb == NULL) {
        goto done;
    }
#define JWTGATE_PAIRS(arr, call)                                                          \
    if (arr != NGX_CONF_UNSET_PTR && arr != NULL) {                                       \
        pair = arr->elts;                                                                 \
        for (i = 0; i < arr->nelts; i++) {                                                \
            if (ngx_http_jwtgate_cstr(cf, &pair[i].name, &a) != NGX_CONF_OK               \
                || ngx_http_jwtgate_cstr(cf, &pair[i].value, &b) != NGX_CONF_OK) {        \
                goto done;                                                                \
            }                                                                             \
            if ((call) != JWTGATE_OK) {                                                   \
                goto bad;                                                                 \
            }                                                                             \
        }                                                                                 \
    }
    JWTGATE_PAIRS(conf->named_values, jwtgate_load_options_set_named_value(lo, a, b));
    JWTGATE_PAIRS(conf->expressions, jwtgate_load_options_set_expression_value(lo, a, b));
    if (conf->certificates != NGX_CONF_UNSET_PTR && conf->certificates != NULL) {
        pair = conf->certificates->elts;
        for (i = 0; i < conf->certificates->nelts; i++) {
            if (ngx_http_jwtgate_cstr(cf, &pair[i].name, &a) != NGX_CONF_OK
                || ngx_http_jwtgate_read_file(cf, &pair[i].value, &text) != NGX_CONF_OK) {
                goto done;
            }
            st = jwtgate_load_options_add_certificate(lo, &err, a, (const char *) text.data,
                                                      text.len);
            if (st != JWTGATE_OK) {
                ngx_http_jwtgate_log_errors(cf, conf, "jwtgate_certificate",
                                            (const char *) pair[i].value.data, err, st);
                goto done;
            }
        }
    }
    if (conf->decryption_keys != NGX_CONF_UNSET_PTR && conf->decryption_keys != NULL) {
        dkey = conf->decryption_keys->elts;
        for (i = 0; i < conf->decryption_keys->nelts; i++) {
            if (ngx_http_jwtgate_cstr(cf, &dkey[i].id, &a) != NGX_CONF_OK
                || ngx_http_jwtgate_add_decryption_key(cf, conf, lo, a, &dkey[i]) != NGX_CONF_OK) {
                goto done;
            }
        }
    }
    if (conf->documents != NGX_CONF_UNSET_PTR && conf->documents != NULL) {
        pair = conf->documents->elts;
        kinds = conf->document_kinds->elts;
        for (i = 0; i < conf->documents->nelts; i++) {
            if (ngx_http_jwtgate_cstr(cf, &pair[i].name, &a) != NGX_CONF_OK
                || ngx_http_jwtgate_read_file(cf, &pair[i].value, &text) != NGX_CONF_OK) {
                goto done;
            }
            if (jwtgate_load_options_set_document(lo, a, (jwtgate_document_kind) kinds[i], (const char *) text.data,
                                                  text.len) != JWTGATE_OK) {
                goto bad;
            }
        }
    }
    if (conf->select.len) {
        if (ngx_http_jwtgate_cstr(cf, &conf->select, &a) != NGX_CONF_OK) {
            goto done;
        }
        if (jwtgate_load_options_select(lo, a) != JWTGATE_OK) {
            goto bad;
        }
    }

    st = jwtgate_policy_load_file(&policy, &err, file, lo);
    if (st != JWTGATE_OK) {
        ngx_http_jwtgate_log_errors(cf, conf, "jwtgate_policy", file, err, st);
        goto done;
    }
    jwtgate_error_free(err);
    err = NULL;
    if (conf->leeway != NGX_CONF_UNSET) {
        if (jwtgate_policy_with_clock_skew(&skewed, policy, (int64_t) conf->leeway) != JWTGATE_OK) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "jwtgate: jwtgate_leeway must be 0 .. 1d");
            goto done;
        }
        jwtgate_policy_free(policy);
        policy = skewed;
    }

    if (conf->key_files != NGX_CONF_UNSET_PTR && conf->key_files != NULL) {
        str = conf->key_files->elts;
        for (i = 0; i < conf->key_files->nelts; i++) {
            path = str[i];
            if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK
                || ngx_http_jwtgate_cstr(cf, &path, &a) != NGX_CONF_OK) {
                goto done;
            }
            st = jwtgate_keyset_builder_add_file(kb, &err, a);
            if (st != JWTGATE_OK) {
                ngx_http_jwtgate_log_errors(cf, conf, "jwtgate_keys", a, err, st);
                goto done;
            }
        }
        if (jwtgate_keyset_builder_build(kb, &keys) != JWTGATE_OK) {
            goto bad;
        }
    }

    /* no validation ever waits: the worker's refresh thread loads */
    if (jwtgate_validator_options_set_never_wait(vo, 1) != JWTGATE_OK
        || jwtgate_validator_options_set_cache_entries(vo, (size_t) conf->cache) != JWTGATE_OK
        || jwtgate_validator_options_set_key_setting(vo, JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK,
                                                     conf->allow_http_loopback ? 1 : 0)
           != JWTGATE_OK)
    {
        goto bad;
    }
    if ((conf->refresh_interval != NGX_CONF_UNSET_MSEC
         && jwtgate_validator_options_set_key_setting(vo, JWTGATE_KEYS_REFRESH_INTERVAL_MS,
                                                      conf->refresh_interval) != JWTGATE_OK)
        || (conf->refetch_interval != NGX_CONF_UNSET_MSEC
            && jwtgate_validator_options_set_key_setting(vo, JWTGATE_KEYS_MIN_REFETCH_INTERVAL_MS,
                                                         conf->refetch_interval) != JWTGATE_OK)
        || (conf->max_staleness != NGX_CONF_UNSET_MSEC
            && jwtgate_validator_options_set_key_setting(vo, JWTGATE_KEYS_MAX_STALENESS_MS,
                                                         conf->max_staleness) != JWTGATE_OK)
        || (conf->fetch_timeout != NGX_CONF_UNSET_MSEC
            && jwtgate_validator_options_set_key_setting(vo, JWTGATE_KEYS_FETCH_TIMEOUT_MS,
                                                         conf->fetch_timeout) != JWTGATE_OK))
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "jwtgate: a jwtgate_keys_* duration is out of range (1ms .. 30d)");
        goto done;
    }
    if (conf->refresh_interval != NGX_CONF_UNSET_MSEC
        && conf->refresh_interval < 300000
        && jwtgate_validator_options_set_key_setting(vo, JWTGATE_KEYS_MIN_REFRESH_INTERVAL_MS,
                                                     conf->refresh_interval) != JWTGATE_OK)
    {
        goto bad;
    }
    if (conf->masked != NGX_CONF_UNSET_PTR && conf->masked != NULL) {
        str = conf->masked->elts;
        for (i = 0; i < conf->masked->nelts; i++) {
            if (ngx_http_jwtgate_cstr(cf, &str[i], &a) != NGX_CONF_OK) {
                goto done;
            }
            if (jwtgate_validator_options_mask_claim(vo, a) != JWTGATE_OK) {
                goto bad;
            }
        }
    }

    slot = ngx_array_push(&mcf->validators);
    if (slot == NULL) {
        goto done;
    }
    *slot = NULL;
    st = jwtgate_validator_new_with_options(slot, &err, policy, keys, vo);
    if (st != JWTGATE_OK) {
        mcf->validators.nelts--;
        ngx_http_jwtgate_log_errors(cf, conf, "jwtgate_policy", file, err, st);
        goto done;
    }
    conf->validator = *slot;
    counters.struct_size = sizeof(counters);
    if (jwtgate_validator_get_key_counters(conf->validator, &counters) == JWTGATE_OK
        && counters.sources > 0 && !jwtgate_network_available())
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "jwtgate: the policy fetches keys and this "
                           "libjwtgate has no network: give jwtgate_openid_document and "
                           "jwtgate_jwks_document");
        goto done;
    }
    rv = NGX_CONF_OK;
    goto done;

bad:
    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "jwtgate: invalid setting for the policy \"%s\"",
                       file);
done:
    jwtgate_error_free(err);
    jwtgate_policy_free(policy);
    jwtgate_keyset_free(keys);
    jwtgate_keyset_builder_free(kb);
    jwtgate_validator_options_free(vo);
    jwtgate_load_options_free(lo);
    return rv;
}

/* ngx_http_jwtgate_merge_pairs: the parent's entries, then the child's (a
 * named value set again below wins). */
static ngx_array_t *
ngx_http_jwtgate_merge_array(ngx_conf_t *cf, ngx_array_t *parent, ngx_array_t *child)
{
    ngx_array_t *a;

    if (child == NGX_CONF_UNSET_PTR) {
        return parent;
    }
    if (parent == NGX_CONF_UNSET_PTR || parent == NULL) {
        return child;
    }
    a = ngx_array_create(cf->pool, parent->nelts + child->nelts, child->size);
    if (a == NULL) {
        return NULL;
    }
    ngx_memcpy(ngx_array_push_n(a, parent->nelts), parent->elts, parent->nelts * parent->size);
    ngx_memcpy(ngx_array_push_n(a, child->nelts), child->elts, child->nelts * child->size);
    return a;
}

static char *
ngx_http_jwtgate_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_jwtgate_loc_conf_t *prev = parent;
    ngx_http_jwtgate_loc_conf_t *conf = child;

    /* the parent (the http level, which is never merged as a child) gets
     * its validator the first time a child needs it */
    if (prev->own && !prev->built) {
        if (prev->cache == NGX_CONF_UNSET) {
            prev->cache = 4096;
        }
        if (prev->allow_http_loopback == NGX_CONF_UNSET) {
            prev->allow_http_loopback = 0;
        }
        if (ngx_http_jwtgate_build(cf, prev) != NGX_CONF_OK) {
            return NGX_CONF_ERROR;
        }
    }

    ngx_conf_merge_value(conf->enable, prev->enable, 1);
    ngx_conf_merge_ptr_value(conf->token, prev->token, NULL);
    ngx_conf_merge_ptr_value(conf->requires, prev->requires, NULL);
    ngx_conf_merge_msec_value(conf->keys_wait, prev->keys_wait, 5000);

    if (!conf->own) {
        /* same validator as the enclosing level */
        conf->validator = prev->validator;
        conf->built = 1;
        conf->policy_file = prev->policy_file;
        conf->named_values = prev->named_values;
        conf->expressions = prev->expressions;
        conf->certificates = prev->certificates;
        conf->decryption_keys = prev->decryption_keys;
        conf->key_files = prev->key_files;
        conf->documents = prev->documents;
        conf->document_kinds = prev->document_kinds;
        conf->masked = prev->masked;
        conf->select = prev->select;
        conf->leeway = prev->leeway;
        conf->cache = prev->cache;
        conf->refresh_interval = prev->refresh_interval;
        conf->refetch_interval = prev->refetch_interval;
        conf->max_staleness = prev->max_staleness;
        conf->fetch_timeout = prev->fetch_timeout;
        conf->allow_http_loopback = prev->allow_http_loopback;
        return NGX_CONF_OK;
    }

    if (conf->policy_file.len == 0) {
        conf->policy_file = prev->policy_file;
    }
    if (conf->select.len == 0) {
        conf->select = prev->select;
    }
    conf->named_values = ngx_http_jwtgate_merge_array(cf, prev->named_values, conf->named_values);
    conf->expressions = ngx_http_jwtgate_merge_array(cf, prev->expressions, conf->expressions);
    conf->certificates = ngx_http_jwtgate_merge_array(cf, prev->certificates, conf->certificates);
    conf->decryption_keys = ngx_http_jwtgate_merge_array(cf, prev->decryption_keys,
                                                         conf->decryption_keys);
    conf->key_files = ngx_http_jwtgate_merge_array(cf, prev->key_files, conf->key_files);
    conf->document_kinds = ngx_http_jwtgate_merge_array(cf, prev->document_kinds,
                                                        conf->document_kinds);
    conf->documents = ngx_http_jwtgate_merge_array(cf, prev->documents, conf->documents);
    conf->masked = ngx_http_jwtgate_merge_array(cf, prev->masked, conf->masked);
    if (conf->named_values == NULL || conf->expressions == NULL || conf->certificates == NULL
        || conf->decryption_keys == NULL
        || conf->key_files == NULL || conf->documents == NULL || conf->masked == NULL
        || conf->document_kinds == NULL)
    {
        return NGX_CONF_ERROR;
    }
    ngx_conf_merge_value(conf->leeway, prev->leeway, NGX_CONF_UNSET);
    ngx_conf_merge_value(conf->cache, prev->cache, 4096);
    ngx_conf_merge_msec_value(conf->refresh_interval, prev->refresh_interval,
                              NGX_CONF_UNSET_MSEC);
    ngx_conf_merge_msec_value(conf->refetch_interval, prev->refetch_interval,
                              NGX_CONF_UNSET_MSEC);
    ngx_conf_merge_msec_value(conf->max_staleness, prev->max_staleness, NGX_CONF_UNSET_MSEC);
    ngx_conf_merge_msec_value(conf->fetch_timeout, prev->fetch_timeout, NGX_CONF_UNSET_MSEC);
    ngx_conf_merge_value(conf->allow_http_loopback, prev->allow_http_loopback, 0);
    return ngx_http_jwtgate_build(cf, conf);
}

static char *
ngx_http_jwtgate_policy(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_jwtgate_loc_conf_t *lcf = conf;
    ngx_str_t                   *value = cf->args->elts;
    ngx_str_t                   *target = cmd->offset ? &lcf->select : &lcf->policy_file;

    if (target->data) {
        return "is duplicate";
    }
    *target = value[1];
    lcf->own = 1;
    return NGX_CONF_OK;
}

/* ngx_http_jwtgate_push: a new element of |size| bytes at the end of *a,
 * which is made on first use; NULL when out of memory. */
static void *
ngx_http_jwtgate_push(ngx_conf_t *cf, ngx_array_t **a, size_t size)
{
    if (*a == NGX_CONF_UNSET_PTR || *a == NULL) {
        *a = ngx_array_create(cf->pool, 4, size);
        if (*a == NULL) {
            return NULL;
        }
    }
    return ngx_array_push(*a);
}

static char *
ngx_http_jwtgate_pair(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_jwtgate_loc_conf_t *lcf = conf;
    ngx_array_t                **a = (ngx_array_t **) ((char *) conf + cmd->offset);
    ngx_str_t                   *value = cf->args->elts;
    ngx_http_jwtgate_pair_t     *p;

    p = ngx_http_jwtgate_push(cf, a, sizeof(ngx_http_jwtgate_pair_t));
    if (p == NULL) {
        return NGX_CONF_ERROR;
    }
    p->name = value[1];
    p->value = value[2];
    lcf->own = 1;
    return NGX_CONF_OK;
}

/* jwtgate_named_value NAME VALUE | file=PATH | env=VARIABLE: a secret can
 * stay out of nginx.conf, in a file or the master's environment (name it
 * with nginx's "env" directive too, so that workers keep it). */
static char *
ngx_http_jwtgate_named_value(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_str_t   *value = cf->args->elts;
    ngx_str_t    text;
    char        *name, *env;

    if (value[2].len > 5 && ngx_strncmp(value[2].data, "file=", 5) == 0) {
        text.data = value[2].data + 5;
        text.len = value[2].len - 5;
        if (ngx_http_jwtgate_read_file(cf, &text, &value[2]) != NGX_CONF_OK) {
            return NGX_CONF_ERROR;
        }
        /* a secret file usually ends with a newline that is not part of it */
        while (value[2].len && (value[2].data[value[2].len - 1] == '\n'
                                || value[2].data[value[2].len - 1] == '\r')) {
            value[2].len--;
        }
    } else if (value[2].len > 4 && ngx_strncmp(value[2].data, "env=", 4) == 0) {
        text.data = value[2].data + 4;
        text.len = value[2].len - 4;
        if (ngx_http_jwtgate_cstr(cf, &text, &name) != NGX_CONF_OK) {
            return NGX_CONF_ERROR;
        }
        env = getenv(name);
        if (env == NULL) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "jwtgate: the environment variable \"%s\" of the named value "
                               "\"%V\" is not set", name, &value[1]);
            return NGX_CONF_ERROR;
        }
        value[2].data = (u_char *) env;
        value[2].len = ngx_strlen(env);
    }
    return ngx_http_jwtgate_pair(cf, cmd, conf);
}

/* jwtgate_decryption_key ID FILE [password_file=PATH | password_env=NAME]:
 * read when the validator is built (the files stay out of the pool until
 * then). */
static char *
ngx_http_jwtgate_decryption_key(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_jwtgate_loc_conf_t        *lcf = conf;
    ngx_str_t                          *value = cf->args->elts;
    ngx_http_jwtgate_decryption_key_t  *k;

    (void) cmd;
    k = ngx_http_jwtgate_push(cf, &lcf->decryption_keys,
                              sizeof(ngx_http_jwtgate_decryption_key_t));
    if (k == NULL) {
        return NGX_CONF_ERROR;
    }
    ngx_memzero(k, sizeof(*k));
    k->id = value[1];
    k->file = value[2];
    if (cf->args->nelts == 4) {
        if (value[3].len > 14 && ngx_strncmp(value[3].data, "password_file=", 14) == 0) {
            k->password_file.data = value[3].data + 14;
            k->password_file.len = value[3].len - 14;
        } else if (value[3].len > 13 && ngx_strncmp(value[3].data, "password_env=", 13) == 0) {
            k->password_env.data = value[3].data + 13;
            k->password_env.len = value[3].len - 13;
        } else {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "jwtgate: jwtgate_decryption_key takes password_file=PATH or "
                               "password_env=NAME, not \"%V\"", &value[3]);
            return NGX_CONF_ERROR;
        }
    }
    lcf->own = 1;
    return NGX_CONF_OK;
}

static char *
ngx_http_jwtgate_document(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_jwtgate_loc_conf_t *lcf = conf;
    ngx_str_t                   *value = cf->args->elts;
    ngx_http_jwtgate_pair_t     *p;
    ngx_uint_t                  *k;

    p = ngx_http_jwtgate_push(cf, &lcf->documents, sizeof(ngx_http_jwtgate_pair_t));
    k = ngx_http_jwtgate_push(cf, &lcf->document_kinds, sizeof(ngx_uint_t));
    if (p == NULL || k == NULL) {
        return NGX_CONF_ERROR;
    }
    p->name = value[1];
    p->value = value[2];
    *k = cmd->offset;
    lcf->own = 1;
    return NGX_CONF_OK;
}

static char *
ngx_http_jwtgate_own_str_array(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_jwtgate_loc_conf_t *lcf = conf;
    ngx_array_t                **a = (ngx_array_t **) ((char *) conf + cmd->offset);
    ngx_str_t                   *value = cf->args->elts, *s;

    s = ngx_http_jwtgate_push(cf, a, sizeof(ngx_str_t));
    if (s == NULL) {
        return NGX_CONF_ERROR;
    }
    *s = value[1];
    lcf->own = 1;
    return NGX_CONF_OK;
}

static char *
ngx_http_jwtgate_own_setting(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    const ngx_http_jwtgate_slot_t *slot = cmd->post;
    ngx_command_t                  plain = *cmd;

    /* nginx's slots read post as an ngx_conf_post_t: theirs is none */
    plain.post = NULL;
    ((ngx_http_jwtgate_loc_conf_t *) conf)->own = 1;
    return slot->set(cf, &plain, conf);
}

/* jwtgate_require $value ... [error=401|403] */
static char *
ngx_http_jwtgate_require(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_jwtgate_loc_conf_t       *lcf = conf;
    ngx_str_t                         *value = cf->args->elts;
    ngx_http_jwtgate_require_t        *req;
    ngx_http_compile_complex_value_t   ccv;
    ngx_uint_t                         i, n = cf->args->nelts;
    ngx_int_t                          status = NGX_HTTP_UNAUTHORIZED;

    if (n > 2 && value[n - 1].len > 6 && ngx_strncmp(value[n - 1].data, "error=", 6) == 0) {
        status = ngx_atoi(value[n - 1].data + 6, value[n - 1].len - 6);
        if (status != NGX_HTTP_UNAUTHORIZED && status != NGX_HTTP_FORBIDDEN) {
            return "takes error=401 or error=403";
        }
        n--;
    }
    for (i = 1; i < n; i++) {
        req = ngx_http_jwtgate_push(cf, &lcf->requires, sizeof(ngx_http_jwtgate_require_t));
        if (req == NULL) {
            return NGX_CONF_ERROR;
        }
        ngx_memzero(&ccv, sizeof(ngx_http_compile_complex_value_t));
        ccv.cf = cf;
        ccv.value = &value[i];
        ccv.complex_value = &req->value;
        if (ngx_http_compile_complex_value(&ccv) != NGX_OK) {
            return NGX_CONF_ERROR;
        }
        req->status = status;
    }
    return NGX_CONF_OK;
}

static ngx_int_t
ngx_http_jwtgate_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt          *h;
    ngx_http_core_main_conf_t    *cmcf;
    ngx_http_jwtgate_main_conf_t *mcf;
    ngx_pool_cleanup_t           *cln;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);
    h = ngx_array_push(&cmcf->phases[NGX_HTTP_ACCESS_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }
    *h = ngx_http_jwtgate_handler;

    mcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_jwtgate_module);
    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NGX_ERROR;
    }
    cln->handler = ngx_http_jwtgate_free_validators;
    cln->data = mcf;
    return NGX_OK;
}

/* ------------------------------------------------------------ processes */

static ngx_int_t
ngx_http_jwtgate_init_process(ngx_cycle_t *cycle)
{
    ngx_http_jwtgate_main_conf_t *mcf;
    jwtgate_validator           **v;
    ngx_uint_t                    i;
    sigset_t                      all, old;
    jwtgate_status                st;

    if (ngx_process != NGX_PROCESS_WORKER && ngx_process != NGX_PROCESS_SINGLE) {
        return NGX_OK;
    }
    mcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_jwtgate_module);
    if (mcf == NULL) {
        return NGX_OK;
    }
    ngx_http_jwtgate_req = jwtgate_request_new();
    if (ngx_http_jwtgate_req == NULL) {
        return NGX_ERROR;
    }
    /* The refresh threads inherit this mask: every signal stays with the
     * worker's own thread, whose event loop handles them. */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    v = mcf->validators.elts;
    for (i = 0; i < mcf->validators.nelts; i++) {
        st = jwtgate_validator_start_refresh_thread(v[i]);
        if (st != JWTGATE_OK) {
            ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                          "jwtgate: cannot start the key refresh thread: %s",
                          jwtgate_status_str(st));
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return NGX_OK;
}

static void
ngx_http_jwtgate_exit_process(ngx_cycle_t *cycle)
{
    ngx_http_jwtgate_main_conf_t *mcf;
    ngx_uint_t                    i;

    mcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_jwtgate_module);
    if (mcf != NULL) {
        /* freeing abandons a fetch in progress and joins the thread */
        ngx_http_jwtgate_free_validators(mcf);
    }
    for (i = 0; i < ngx_http_jwtgate_nspare; i++) {
        jwtgate_result_free(ngx_http_jwtgate_spare[i]);
    }
    ngx_http_jwtgate_nspare = 0;
    jwtgate_request_free(ngx_http_jwtgate_req);
    ngx_http_jwtgate_req = NULL;
}
