/* kaa.web's booted transport (see web.h). The handler runs on the connection's thread;
   an exception escaping it (the framework catches its handlers' own) is printed and
   dropped, so the server goes on. */
#include "object.h"
#include "int.h"
#include "web.h"

static kval handler;

kval k_web_set_handler(kval fn) {
    k_xdecref(handler);
    handler = k_newref(fn);
    return k_None;
}

kval k_web_print_exception(kval exc) {
    k_print_exception(exc);
    return k_None;
}

bool k_web_kept(kval obj) {
    return !K_IS_SMALL(obj) && K_OBJ(obj)->rc > 1;
}

void k_web_handle(u64 exchange) {
    if (!handler) return;
    kval arg = k_int_from_u64(exchange);
    kval r = k_call(handler, &arg, 1);
    k_decref(arg);
    if (r) {
        k_decref(r);
        return;
    }
    kval exc = k_exc_fetch();
    if (exc) {
        k_print_exception(exc);
        k_decref(exc);
    }
}
