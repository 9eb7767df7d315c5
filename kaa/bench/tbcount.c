/* A QEMU TCG plugin counting the executions of every translation block, for
 * kaa/bench/insnprof.py: at exit, one line per block, "vaddr instructions executions"
 * (hex, decimal, decimal), into the file given as out=PATH.
 *
 * The plugin API's declarations are written out here (QEMU 7.2's qemu-plugin.h, API
 * version 1): Debian ships QEMU with plugin support but without the header. A block's
 * count is bumped inline by the generated code, so counting costs no helper call. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
extern void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
extern size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
extern uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
extern void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
                                                     uint64_t imm);
extern void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

typedef struct { uint64_t vaddr, insns, execs; } Entry;
#define CAP (1 << 20)
static Entry *table;
static const char *out_path;

static Entry *slot(uint64_t vaddr, uint64_t insns) {
    uint64_t h = (vaddr * 0x9E3779B97F4A7C15ull) >> 44;
    for (;;) {
        Entry *e = &table[h & (CAP - 1)];
        if (e->vaddr == vaddr && e->insns == insns) return e;
        if (e->vaddr == 0) { e->vaddr = vaddr; e->insns = insns; return e; }
        h++;
    }
}

static void on_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
    Entry *e = slot(qemu_plugin_tb_vaddr(tb), qemu_plugin_tb_n_insns(tb));
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &e->execs, 1);
}

static void dump(void) {
    FILE *f = fopen(out_path, "w");
    if (!f) return;
    for (size_t i = 0; i < CAP; i++)
        if (table[i].execs) fprintf(f, "%lx %lu %lu\n", table[i].vaddr, table[i].insns, table[i].execs);
    fclose(f);
}

static void on_exit_cb(qemu_plugin_id_t id, void *p) { dump(); }

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
    table = calloc(CAP, sizeof(Entry));
    out_path = "/tmp/tbcount.txt";
    for (int i = 0; i < argc; i++)
        if (strncmp(argv[i], "out=", 4) == 0) out_path = argv[i] + 4;
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_trans);
    qemu_plugin_register_atexit_cb(id, on_exit_cb, NULL);
    return 0;
}
