/*
 * PVH entry for Kaa (x86/HVM direct boot ABI, as used by QEMU -kernel).
 *
 * The loader enters pvh_start32 in 32-bit protected mode, paging off,
 * %ebx = physical address of hvm_start_info. We switch to long mode with
 * the first 4 GiB identity-mapped (2 MiB pages), zero the BSS, and call
 *     void kaa_start(u64 start_info_paddr, u64 tsc_at_entry)
 * The page tables and the boot stack live in .bss.boot, which the linker
 * script keeps outside [__bss_start, __bss_end) so zeroing cannot clobber them.
 * Assemble with `gcc -c boot.S` (the constants below need the C preprocessor).
 */

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define MSR_EFER        0xC0000080
#define EFER_LME        (1 << 8)
#define CR0_PE          (1 << 0)
#define CR0_WP          (1 << 16)
#define CR0_PG          (1 << 31)
#define CR4_PAE         (1 << 5)
#define PTE_P_RW        0x3
#define PTE_P_RW_PS     0x83
#define CODE64_SEL      0x08
#define DATA_SEL        0x10
#define BOOT_STACK_SIZE 0x10000

/* The loader finds the 32-bit entry through this note (via PT_NOTE).
 * desc is 8 bytes, like Linux: QEMU reads a size_t there; value < 4 GiB. */
        .section .note.Xen, "a", @note
        .balign 4
        .long   2f - 1f                 /* namesz */
        .long   4f - 3f                 /* descsz */
        .long   XEN_ELFNOTE_PHYS32_ENTRY
1:      .asciz  "Xen"
2:      .balign 4
3:      .quad   pvh_start32
4:      .balign 4

/* Flat GDT; accessed bits preset so the CPU never writes to it. */
        .section .rodata.boot, "a"
        .balign 16
boot_gdt:
        .quad   0                       /* null */
        .quad   0x00af9b000000ffff      /* 0x08: 64-bit code, DPL0 */
        .quad   0x00cf93000000ffff      /* 0x10: data, DPL0 */
boot_gdt_end:
        .balign 8
boot_gdt_ptr:
        .word   boot_gdt_end - boot_gdt - 1
        .quad   boot_gdt                /* lgdt in 32-bit mode reads only 4 bytes of it */

        .section .text.boot, "ax"
        .code32
        .globl  pvh_start32
        .type   pvh_start32, @function
pvh_start32:
        /* Earliest timestamp for boot-time accounting: hi in %ebp, lo in %esi. */
        rdtsc
        movl    %eax, %esi
        movl    %edx, %ebp

        /* EFLAGS.DF is unspecified by the ABI; string ops below need it clear. */
        cld

        lgdt    boot_gdt_ptr

        /* Tables must start zeroed: RAM is not guaranteed clean (e.g. after reset). */
        movl    $boot_pml4, %edi
        movl    $(boot_tables_end - boot_pml4) >> 2, %ecx
        xorl    %eax, %eax
        rep stosl

        /* PML4[0] -> PDPT; PDPT[0..3] -> the four page directories. */
        movl    $boot_pdpt + PTE_P_RW, boot_pml4
        movl    $boot_pd + PTE_P_RW, %eax
        xorl    %ecx, %ecx
1:      movl    %eax, boot_pdpt(,%ecx,8)
        addl    $0x1000, %eax
        incl    %ecx
        cmpl    $4, %ecx
        jne     1b

        /* 2048 PDEs x 2 MiB = identity map of 0..4 GiB (high dwords stay 0). */
        movl    $PTE_P_RW_PS, %eax
        xorl    %ecx, %ecx
2:      movl    %eax, boot_pd(,%ecx,8)
        addl    $0x200000, %eax
        incl    %ecx
        cmpl    $2048, %ecx
        jne     2b

        /* Long mode needs PAE paging. */
        movl    %cr4, %eax
        orl     $CR4_PAE, %eax
        movl    %eax, %cr4

        /* EFER.LME arms long mode; it activates when paging is enabled. */
        movl    $MSR_EFER, %ecx
        rdmsr
        orl     $EFER_LME, %eax
        wrmsr

        movl    $boot_pml4, %eax
        movl    %eax, %cr3

        /* Paging on (WP so the kernel honours read-only pages it may add later). */
        movl    %cr0, %eax
        orl     $(CR0_PG | CR0_WP | CR0_PE), %eax
        movl    %eax, %cr0

        /* Far jump loads the 64-bit code segment: now in long mode proper. */
        ljmp    $CODE64_SEL, $start64

        .code64
start64:
        /* Stale 32-bit selectors must not linger in the data segment registers. */
        movl    $DATA_SEL, %eax
        movl    %eax, %ds
        movl    %eax, %es
        movl    %eax, %ss
        xorl    %eax, %eax
        movl    %eax, %fs
        movl    %eax, %gs

        leaq    boot_stack_top(%rip), %rsp

        /* Zero the BSS (8-byte aligned by the linker script); tables/stack are outside it. */
        leaq    __bss_start(%rip), %rdi
        leaq    __bss_end(%rip), %rcx
        subq    %rdi, %rcx
        shrq    $3, %rcx
        xorl    %eax, %eax
        rep stosq

        /* Arguments: start_info (zero-extended %ebx), TSC = %ebp:%esi.
         * 32-bit moves zero-extend: upper halves are undefined after the mode switch. */
        movl    %ebx, %edi
        movl    %ebp, %eax
        shlq    $32, %rax
        movl    %esi, %esi
        orq     %rax, %rsi

        /* rbp = 0 ends the frame-pointer chain for backtraces. */
        xorl    %ebp, %ebp
        call    kaa_start

        /* kaa_start should not return; if it does, stop this CPU for good. */
3:      cli
        hlt
        jmp     3b
        .size   pvh_start32, . - pvh_start32

/*
 * Interrupt and exception entry. One stub per vector pushes a zero error code
 * (where the CPU pushes none) and the vector number, then joins trap_common,
 * which saves every general register, calls
 *     void kaa_trap(TrapFrame *frame)       (kernel/arch/x86_64/traps.py)
 * and returns with iretq. The frame, from low to high addresses: r15 .. r8,
 * rbp, rdi, rsi, rdx, rcx, rbx, rax, vector, error code, then what the CPU
 * pushed (rip, cs, rflags, rsp, ss). 22 quadwords keep %rsp 16-byte aligned.
 * kaa_isr_table holds the stubs' addresses for the IDT.
 */
        .section .text.trap, "ax"
        .code64
        .type   trap_common, @function
trap_common:
        pushq   %rax
        pushq   %rbx
        pushq   %rcx
        pushq   %rdx
        pushq   %rsi
        pushq   %rdi
        pushq   %rbp
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        cld
        movq    %rsp, %rdi
        call    kaa_trap
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rbp
        popq    %rdi
        popq    %rsi
        popq    %rdx
        popq    %rcx
        popq    %rbx
        popq    %rax
        addq    $16, %rsp               /* vector and error code */
        iretq
        .size   trap_common, . - trap_common

/* Vectors whose exceptions push an error code: 8, 10-14, 17, 21, 29, 30. */
        .altmacro
        .macro  isr_stub v
        .balign 16
isr_stub_\v:
        .if     !((\v == 8) || ((\v >= 10) && (\v <= 14)) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30))
        pushq   $0
        .endif
        pushq   $\v
        jmp     trap_common
        .endm

        .set    vec, 0
        .rept   256
        isr_stub %vec
        .set    vec, vec + 1
        .endr

        .macro  isr_addr v
        .quad   isr_stub_\v
        .endm
        .section .rodata.trap, "a"
        .balign 8
        .globl  kaa_isr_table
kaa_isr_table:
        .set    vec, 0
        .rept   256
        isr_addr %vec
        .set    vec, vec + 1
        .endr

/*
 * Application processor start-up. smp.py copies [kaa_ap_trampoline,
 * kaa_ap_trampoline_end) to AP_BASE (a free page below 1 MiB), fills its data
 * words, and sends INIT and a start-up IPI. The AP starts there in real mode,
 * goes through protected mode into long mode on the boot CPU's page tables,
 * loads the stack it was given and calls
 *     void kaa_ap_start(u64 cpu)               (kernel/arch/x86_64/smp.py)
 * Addresses are AP_BASE + offset: this code runs from the copy, not from here.
 */
#define AP_BASE         0x8000
#define AP(label)       (AP_BASE + (label) - kaa_ap_trampoline)
#define AP_CODE32       0x08
#define AP_DATA         0x10
#define AP_CODE64       0x18

        .section .rodata.ap_trampoline, "a"
        .balign 16
        .globl  kaa_ap_trampoline, kaa_ap_trampoline_end
        .globl  kaa_ap_cr3, kaa_ap_stack, kaa_ap_cpu
        .code16
kaa_ap_trampoline:
        cli
        cld
        xorw    %ax, %ax
        movw    %ax, %ds
        lgdtl   AP(ap_gdt_ptr)
        movl    %cr0, %eax
        orl     $CR0_PE, %eax
        movl    %eax, %cr0
        ljmpl   $AP_CODE32, $AP(ap_protected)

        .code32
ap_protected:
        movl    $AP_DATA, %eax
        movl    %eax, %ds
        movl    %eax, %es
        movl    %eax, %ss
        movl    %cr4, %eax
        orl     $CR4_PAE, %eax
        movl    %eax, %cr4
        movl    AP(kaa_ap_cr3), %eax
        movl    %eax, %cr3
        movl    $MSR_EFER, %ecx
        rdmsr
        orl     $EFER_LME, %eax
        wrmsr
        movl    %cr0, %eax
        orl     $(CR0_PG | CR0_WP), %eax
        movl    %eax, %cr0
        ljmpl   $AP_CODE64, $AP(ap_long)

        .code64
ap_long:
        movq    AP(kaa_ap_stack), %rsp
        movq    AP(kaa_ap_cpu), %rdi
        xorl    %ebp, %ebp
        movabsq $kaa_ap_start, %rax
        callq   *%rax
4:      cli
        hlt
        jmp     4b

        .balign 8
ap_gdt:
        .quad   0
        .quad   0x00cf9b000000ffff      /* 0x08: 32-bit code */
        .quad   0x00cf93000000ffff      /* 0x10: data */
        .quad   0x00af9b000000ffff      /* 0x18: 64-bit code */
ap_gdt_end:
ap_gdt_ptr:
        .word   ap_gdt_end - ap_gdt - 1
        .long   AP(ap_gdt)
        .balign 8
kaa_ap_cr3:
        .quad   0
kaa_ap_stack:
        .quad   0
kaa_ap_cpu:
        .quad   0
kaa_ap_trampoline_end:

/* Page tables and stack: page-aligned, outside the zeroed BSS range. A guard page
 * sits between them: paging.py unmaps it early in kaa_start, so main recursing too
 * deep faults there (a double fault, reported on the IST stack) instead of writing
 * over the page directories. */
        .section .bss.boot, "aw", @nobits
        .balign 4096
boot_pml4:
        .skip   4096
boot_pdpt:
        .skip   4096
boot_pd:
        .skip   4 * 4096
boot_tables_end:
        .globl  boot_stack_guard
boot_stack_guard:
        .skip   4096
boot_stack:
        .skip   BOOT_STACK_SIZE
boot_stack_top:

/* No executable stack wanted (silences ld's deprecation warning). */
        .section .note.GNU-stack, "", @progbits
