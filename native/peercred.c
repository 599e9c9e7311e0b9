/*
 * peercred: the credentials the kernel recorded for the other end of a connected unix stream
 * socket (SO_PEERCRED, Linux). Node has no API for it; src/proxy/peer-credentials.ts loads this
 * addon and passes it the fd of an accepted connection.
 *
 * peerCredentials(fd) -> { pid, uid, gid }
 *   Throws a TypeError for anything but a non-negative integer fd, and an Error whose `code` is the
 *   errno name (EBADF, ENOTSOCK, ...), EAFNOSUPPORT (not AF_UNIX), EPROTOTYPE (not SOCK_STREAM) or
 *   ENOTCONN (no peer) otherwise. It never guesses: for a TCP socket or an unconnected unix socket
 *   the kernel does not fail but answers pid 0 and uid/gid (uid_t)-1, so the family and type are
 *   checked first and the -1 ids are refused.
 *
 * The values are those of the process that called connect() (or socketpair()), taken at that
 * moment; later setuid() calls or fd passing do not change them. They are translated into this
 * process's namespaces: pid is 0 when the peer's pid is not visible here (a client in a sibling
 * container), uid/gid are the overflow ids (65534) when the peer's ids are unmapped in our user
 * namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <node_api.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

static const char *errno_code(int err) {
  switch (err) {
    case EBADF: return "EBADF";
    case ENOTSOCK: return "ENOTSOCK";
    case ENOTCONN: return "ENOTCONN";
    case ENOPROTOOPT: return "ENOPROTOOPT";
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    default: return "EUNKNOWN";
  }
}

static napi_value throw_error(napi_env env, const char *code, const char *message) {
  napi_throw_error(env, code, message);
  return NULL;
}

static napi_value throw_errno(napi_env env, const char *what, int err) {
  char message[160];
  snprintf(message, sizeof message, "%s: %s", what, strerror(err));
  return throw_error(env, errno_code(err), message);
}

static int get_int_option(int fd, int option, int *value) {
  socklen_t length = sizeof *value;
  if (getsockopt(fd, SOL_SOCKET, option, value, &length) != 0) return errno;
  return length == sizeof *value ? 0 : EINVAL;
}

static napi_value set_number(napi_env env, napi_value object, const char *name, double number) {
  napi_value value;
  if (napi_create_double(env, number, &value) != napi_ok) return NULL;
  if (napi_set_named_property(env, object, name, value) != napi_ok) return NULL;
  return object;
}

static napi_value peer_credentials(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  napi_valuetype type = napi_undefined;
  if (argc >= 1) napi_typeof(env, argv[0], &type);
  /* Read as a double and check it exactly: napi_get_value_int32 would wrap 2^32 + 3 into fd 3. */
  double number = -1;
  if (type != napi_number || napi_get_value_double(env, argv[0], &number) != napi_ok || !(number >= 0) ||
      number > INT_MAX || number != (double)(int)number) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "fd must be a non-negative integer");
    return NULL;
  }
  int fd = (int)number;

  int domain = 0, socktype = 0, err;
  if ((err = get_int_option(fd, SO_DOMAIN, &domain)) != 0) return throw_errno(env, "getsockopt(SO_DOMAIN)", err);
  if (domain != AF_UNIX) return throw_error(env, "EAFNOSUPPORT", "not a unix domain socket");
  if ((err = get_int_option(fd, SO_TYPE, &socktype)) != 0) return throw_errno(env, "getsockopt(SO_TYPE)", err);
  if (socktype != SOCK_STREAM) return throw_error(env, "EPROTOTYPE", "not a stream socket");

  struct ucred cred;
  socklen_t length = sizeof cred;
  memset(&cred, 0, sizeof cred);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) {
    return throw_errno(env, "getsockopt(SO_PEERCRED)", errno);
  }
  if (length != sizeof cred) return throw_error(env, "EINVAL", "short SO_PEERCRED answer");
  if (cred.uid == (uid_t)-1 || cred.gid == (gid_t)-1) return throw_error(env, "ENOTCONN", "no peer credentials");

  napi_value result;
  if (napi_create_object(env, &result) != napi_ok) return NULL;
  if (!set_number(env, result, "pid", (double)cred.pid)) return NULL;
  if (!set_number(env, result, "uid", (double)cred.uid)) return NULL;
  if (!set_number(env, result, "gid", (double)cred.gid)) return NULL;
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "peerCredentials", NAPI_AUTO_LENGTH, peer_credentials, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "peerCredentials", fn) != napi_ok) return NULL;
  return exports;
}
