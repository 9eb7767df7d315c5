/* The entry point of a Kaa OCI image: kaa/deploy/image.py compiles it with
   gcc -static (the image has no libc of its own to spare, and no shell).

   It maps the container's environment to a QEMU command line (the same machine as
   kaa/vm.py's qemu_command), starts QEMU as its child and stays, as PID 1, to stop
   it: SIGTERM or SIGINT is passed on to QEMU, which exits on it within milliseconds;
   if QEMU is still there STOP_GRACE_MS later it is killed, so the container is gone
   within a second either way. The guest's console is QEMU's stdout, which is ours.

   Environment (image.py compiles the image's defaults in and lists them in its Env):
     KAA_MEMORY   MiB of guest RAM (at least what the kernel loads into)
     KAA_SMP      virtual CPUs
     KAA_ACCEL    auto | kvm | tcg. auto: KVM when /dev/kvm opens and creates a VM,
                  except under kvm_pvm (far slower than TCG for Kaa guests, see
                  kaa/vm.py's pick_accel); TCG otherwise
     KAA_PORTS    guest ports, "80 5353/udp": each forwarded from the container's
                  0.0.0.0:P to the guest's P through QEMU's user network, which uses
                  198.18.0.0/24 (podman's slirp4netns already uses 10.0.2.0/24)
     KAA_CMDLINE  kernel command line words, after the image's default ones
     KAA_DRY_RUN  1: print QEMU's argv, one word a line, and exit

   Exit status, as `kaa run`'s (kaa/vm.py): the guest's own status (0..127); 125 when
   a setting is wrong or QEMU fails; 126 when the guest ended without a status;
   128 + N when stopped by signal N (143: a clean stop by SIGTERM). */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/* Compiled in by image.py (-D); these values only let the file compile alone. */
#ifndef KAA_QEMU
#define KAA_QEMU "/usr/bin/qemu-system-x86_64"
#endif
#ifndef KAA_LISTEN_SHIM
#define KAA_LISTEN_SHIM "/kaa/listen.so"    /* listen_shim.c: forwarded ports get a real backlog */
#endif
#ifndef KAA_DEFAULT_MEMORY
#define KAA_DEFAULT_MEMORY "128"
#endif
#ifndef KAA_DEFAULT_SMP
#define KAA_DEFAULT_SMP "1"
#endif
#ifndef KAA_DEFAULT_PORTS
#define KAA_DEFAULT_PORTS "80"
#endif
#ifndef KAA_DEFAULT_CMDLINE
#define KAA_DEFAULT_CMDLINE ""
#endif
#ifndef KAA_MIN_MEMORY
#define KAA_MIN_MEMORY 1
#endif
#ifndef KAA_USES_SSE
#define KAA_USES_SSE 1
#endif

#define KERNEL "/kaa/kernel.elf"
#define GUEST_NET "198.18.0.0/24"
#define KVM_PVM "/sys/module/kvm_pvm"
#define STOP_GRACE_MS 600
#define MAX_PORTS 64

#define QEMU_FAILED 125
#define NO_STATUS 126

static volatile sig_atomic_t stop_signal;
static volatile pid_t qemu_pid;

__attribute__((format(printf, 1, 2)))
static _Noreturn void fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("kaa: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(QEMU_FAILED);
}

static const char *setting(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v != NULL && *v != '\0' ? v : fallback;
}

/* A decimal number in [lo, hi], or a clear error naming the variable. */
static unsigned long number(const char *name, const char *fallback, unsigned long lo, unsigned long hi,
                            const char *what) {
    const char *text = setting(name, fallback);
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || v < lo || v > hi) {
        char range[64];
        snprintf(range, sizeof range, "%lu..%lu", lo, hi);
        fprintf(stderr, "kaa: %s=%s: want %s, a number in %s\n", name, text, what, range);
        exit(QEMU_FAILED);
    }
    return v;
}

/* KVM that really works: the device opens, speaks the API we know, and makes a VM. */
static int kvm_works(void) {
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int ok = ioctl(fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION;
    if (ok) {
        int vm = ioctl(fd, KVM_CREATE_VM, 0);
        ok = vm >= 0;
        if (vm >= 0)
            close(vm);
    }
    close(fd);
    return ok;
}

static const char *pick_accel(void) {
    const char *accel = setting("KAA_ACCEL", "auto");
    if (strcmp(accel, "tcg") == 0)
        return "tcg";
    if (strcmp(accel, "kvm") == 0) {
        if (!kvm_works())
            fail("KAA_ACCEL=kvm: /dev/kvm cannot be opened or makes no VM (pass the device "
                 "to the container, e.g. --device /dev/kvm); or use KAA_ACCEL=tcg");
        if (KAA_USES_SSE && access(KVM_PVM, F_OK) == 0)
            fail("KAA_ACCEL=kvm: this KVM is kvm_pvm, which cannot run the floating-point (SSE) "
                 "instructions this kernel has; use KAA_ACCEL=tcg or auto");
        return "kvm";
    }
    if (strcmp(accel, "auto") == 0)
        return access(KVM_PVM, F_OK) != 0 && kvm_works() ? "kvm" : "tcg";
    fail("KAA_ACCEL=%s: choose auto, kvm or tcg", accel);
}

/* "user,id=n0,net=...,hostfwd=tcp::80-:80,..." from KAA_PORTS. */
static char *netdev(void) {
    static char buf[64 + MAX_PORTS * 32];
    char ports[1024];
    const char *text = setting("KAA_PORTS", KAA_DEFAULT_PORTS);
    if (strlen(text) >= sizeof ports)
        fail("KAA_PORTS is too long");
    strcpy(ports, text);
    int n = snprintf(buf, sizeof buf, "user,id=n0,net=%s", GUEST_NET);
    int count = 0;
    for (char *save, *word = strtok_r(ports, " ,", &save); word; word = strtok_r(NULL, " ,", &save)) {
        const char *proto = "tcp";
        char *slash = strchr(word, '/');
        if (slash != NULL) {
            *slash = '\0';
            proto = slash + 1;
            if (strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0)
                fail("KAA_PORTS: %s/%s: the protocol is tcp or udp", word, proto);
        }
        char *end;
        unsigned long port = strtoul(word, &end, 10);
        if (end == word || *end != '\0' || port < 1 || port > 65535)
            fail("KAA_PORTS: %s: want a port number (1..65535), optionally /tcp or /udp", word);
        if (++count > MAX_PORTS)
            fail("KAA_PORTS: at most %d ports", MAX_PORTS);
        n += snprintf(buf + n, sizeof buf - n, ",hostfwd=%s::%lu-:%lu", proto, port, port);
    }
    return buf;
}

/* The image's default kernel command line, then KAA_CMDLINE's words. */
static char *cmdline(void) {
    const char *extra = setting("KAA_CMDLINE", "");
    size_t size = strlen(KAA_DEFAULT_CMDLINE) + strlen(extra) + 2;
    char *line = malloc(size);
    if (line == NULL)
        fail("out of memory");
    snprintf(line, size, "%s%s%s", KAA_DEFAULT_CMDLINE, *KAA_DEFAULT_CMDLINE && *extra ? " " : "", extra);
    return line;
}

static void on_stop(int sig) {
    if (stop_signal != 0)
        return;                                 /* already stopping: the grace timer runs */
    stop_signal = sig;
    if (qemu_pid > 0)
        kill(qemu_pid, SIGTERM);
    /* SIGALRM (on_grace_over) kills QEMU if it has not gone by then. */
    struct itimerval grace = {.it_value = {.tv_sec = 0, .tv_usec = STOP_GRACE_MS * 1000}};
    setitimer(ITIMER_REAL, &grace, NULL);
}

static void on_grace_over(int sig) {
    (void)sig;
    static const char msg[] = "kaa: QEMU did not stop in time; killed\n";
    if (qemu_pid > 0) {
        kill(qemu_pid, SIGKILL);
        (void)!write(2, msg, sizeof msg - 1);
    }
}

static void handle(int sig, void (*handler)(int)) {
    struct sigaction sa = {.sa_handler = handler};   /* no SA_RESTART: waitpid sees EINTR */
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGALRM);
    sigaction(sig, &sa, NULL);
}

/* Start QEMU with the stop signals blocked until qemu_pid is set, so a SIGTERM that
   comes at once still reaches it (and one that came before, none is started). The
   child dies with us (PR_SET_PDEATHSIG). */
static void start(char **argv) {
    sigset_t stops, old;
    sigemptyset(&stops);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGINT);
    sigprocmask(SIG_BLOCK, &stops, &old);
    if (stop_signal != 0)
        exit(128 + stop_signal);
    pid_t pid = fork();
    if (pid < 0)
        fail("fork: %s", strerror(errno));
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (access(KAA_LISTEN_SHIM, R_OK) == 0)
            setenv("LD_PRELOAD", KAA_LISTEN_SHIM, 1);
        execv(argv[0], argv);
        fprintf(stderr, "kaa: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(QEMU_FAILED << 1);                /* even: read back below as QEMU_FAILED */
    }
    qemu_pid = pid;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Wait for QEMU, reaping any other child PID 1 inherits; its wait status. */
static int wait_qemu(void) {
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid == qemu_pid)
            return status;
        if (pid < 0 && errno != EINTR)
            fail("waitpid: %s", strerror(errno));
    }
}

static int exit_status(int status) {
    if (stop_signal != 0)
        return 128 + stop_signal;
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    int code = WEXITSTATUS(status);
    if (code & 1)
        return code >> 1;                       /* isa-debug-exit: (status << 1) | 1 */
    return code == 0 ? NO_STATUS : QEMU_FAILED;
}

int main(void) {
    /* First of all: as PID 1 we get no SIGTERM at all without a handler. */
    handle(SIGTERM, on_stop);
    handle(SIGINT, on_stop);
    handle(SIGALRM, on_grace_over);
    char memory[24], smp[24];
    unsigned long mib = number("KAA_MEMORY", KAA_DEFAULT_MEMORY, KAA_MIN_MEMORY, 1UL << 20,
                               "MiB of guest memory (the kernel needs the lower bound)");
    snprintf(memory, sizeof memory, "%lu", mib);
    snprintf(smp, sizeof smp, "%lu", number("KAA_SMP", KAA_DEFAULT_SMP, 1, 255, "virtual CPUs"));
    const char *accel = pick_accel();
    char *append = cmdline();

    char *argv[40];
    int n = 0;
#define ARG(s) (argv[n++] = (char *)(s))
    ARG(KAA_QEMU); ARG("-M"); ARG("microvm"); ARG("-accel"); ARG(accel);
    if (strcmp(accel, "tcg") == 0) {
        ARG("-cpu"); ARG("max");
    }                                           /* KVM: QEMU's default CPU, as kaa/vm.py */
    ARG("-m"); ARG(memory); ARG("-smp"); ARG(smp);
    ARG("-nodefaults"); ARG("-no-user-config"); ARG("-display"); ARG("none"); ARG("-no-reboot");
    ARG("-serial"); ARG("stdio");
    ARG("-device"); ARG("isa-debug-exit,iobase=0x501,iosize=1");
    ARG("-kernel"); ARG(KERNEL);
    if (*append) {
        ARG("-append"); ARG(append);
    }
    ARG("-netdev"); ARG(netdev());
    ARG("-global"); ARG("virtio-mmio.force-legacy=false"); ARG("-device"); ARG("virtio-net-device,netdev=n0");
    argv[n] = NULL;
#undef ARG

    if (strcmp(setting("KAA_DRY_RUN", "0"), "1") == 0) {
        for (int i = 0; i < n; i++)
            puts(argv[i]);
        return 0;
    }
    fprintf(stderr, "kaa: starting QEMU: %s, %s MiB, %s CPU(s), ports %s\n", accel, memory, smp,
            setting("KAA_PORTS", KAA_DEFAULT_PORTS));
    start(argv);
    return exit_status(wait_qemu());
}
