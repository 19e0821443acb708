package flexos.core.mechanism.process.sandbox;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seccomp-bpf allowlist of a compartment process: the system calls a JVM, the RPC and a network library need,
 * and nothing else. Any other call fails with {@code EPERM} (not a kill: a JVM that probes an optional call goes
 * on without it). Installed with {@code SECCOMP_FILTER_FLAG_TSYNC}, so every thread of the JVM, those started before
 * it too, is filtered, and after {@code PR_SET_NO_NEW_PRIVS}, so it can never be lifted.
 *
 * <p>Refused in particular: {@code execve}/{@code execveat}, {@code fork}/{@code vfork} and {@code clone} without
 * {@code CLONE_THREAD} (no new processes; {@code clone3} answers {@code ENOSYS} so glibc falls back to
 * {@code clone}), {@code ptrace}, {@code process_vm_readv/writev}, signals to any process but itself ({@code kill},
 * {@code tgkill}, {@code rt_(tg)sigqueueinfo} only with its own pid; {@code tkill}, {@code pidfd_*} never),
 * {@code mount}, {@code bpf}, {@code keyctl}, {@code perf_event_open}, {@code io_uring_*}, {@code userfaultfd},
 * namespaces, {@code chmod}/{@code chown}/{@code utimes} (Landlock does not cover them), {@code prctl} but for a few
 * harmless options, and sockets other than Unix, IPv4 and IPv6 (no netlink, no packet sockets). A call of another
 * architecture's ABI (x32 on x86_64, or a foreign audit arch) kills the process.
 *
 * <p>Only x86_64 has a table here; on other architectures {@link #supported()} is false and a sandboxed compartment
 * refuses to start.
 */
public final class SeccompFilter {

    private static final int SECCOMP_SET_MODE_FILTER = 1;
    private static final int SECCOMP_FILTER_FLAG_TSYNC = 1;
    private static final int RET_ALLOW = 0x7fff0000;
    private static final int RET_KILL_PROCESS = 0x80000000;
    private static final int RET_ERRNO = 0x00050000;
    private static final int X32_SYSCALL_BIT = 0x40000000;
    private static final int CLONE_THREAD = 0x10000;

    private static final short LD_W_ABS = 0x20;
    private static final short JEQ_K = 0x15;
    private static final short JGE_K = 0x35;
    private static final short JSET_K = 0x45;
    private static final short RET_K = 0x06;

    /** The x86_64 calls allowed whatever their arguments, by name (the name is for the documentation and tests). */
    static final Map<String, Integer> ALLOWED_X86_64 = table(
            "read=0 write=1 open=2 close=3 stat=4 fstat=5 lstat=6 poll=7 lseek=8 mmap=9 mprotect=10 munmap=11 "
            + "brk=12 rt_sigaction=13 rt_sigprocmask=14 rt_sigreturn=15 ioctl=16 pread64=17 pwrite64=18 readv=19 "
            + "writev=20 access=21 pipe=22 select=23 sched_yield=24 mremap=25 msync=26 mincore=27 madvise=28 "
            + "dup=32 dup2=33 pause=34 nanosleep=35 getitimer=36 alarm=37 setitimer=38 getpid=39 sendfile=40 "
            + "connect=42 accept=43 sendto=44 recvfrom=45 sendmsg=46 recvmsg=47 shutdown=48 bind=49 listen=50 "
            + "getsockname=51 getpeername=52 socketpair=53 setsockopt=54 getsockopt=55 exit=60 uname=63 "
            + "fcntl=72 flock=73 fsync=74 fdatasync=75 truncate=76 ftruncate=77 getdents=78 getcwd=79 rename=82 "
            + "mkdir=83 rmdir=84 creat=85 link=86 unlink=87 symlink=88 readlink=89 umask=95 gettimeofday=96 "
            + "getrlimit=97 getrusage=98 sysinfo=99 times=100 getuid=102 getgid=104 geteuid=107 getegid=108 "
            + "getppid=110 getpgrp=111 getgroups=115 getresuid=118 getresgid=120 getpgid=121 getsid=124 "
            + "rt_sigpending=127 rt_sigtimedwait=128 rt_sigsuspend=130 sigaltstack=131 statfs=137 fstatfs=138 "
            + "getpriority=140 sched_getparam=143 sched_getscheduler=145 sched_get_priority_max=146 "
            + "sched_get_priority_min=147 sched_rr_get_interval=148 arch_prctl=158 gettid=186 readahead=187 "
            + "time=201 futex=202 sched_getaffinity=204 epoll_create=213 getdents64=217 set_tid_address=218 "
            + "restart_syscall=219 clock_gettime=228 clock_getres=229 clock_nanosleep=230 exit_group=231 "
            + "epoll_wait=232 epoll_ctl=233 get_mempolicy=239 openat=257 mkdirat=258 newfstatat=262 unlinkat=263 "
            + "renameat=264 readlinkat=267 faccessat=269 pselect6=270 ppoll=271 set_robust_list=273 "
            + "get_robust_list=274 epoll_pwait=281 timerfd_create=283 eventfd=284 fallocate=285 "
            + "timerfd_settime=286 timerfd_gettime=287 accept4=288 eventfd2=290 epoll_create1=291 dup3=292 "
            + "pipe2=293 preadv=295 pwritev=296 getcpu=309 sched_getattr=315 renameat2=316 getrandom=318 "
            + "memfd_create=319 membarrier=324 statx=332 rseq=334 close_range=436 faccessat2=439 "
            + "epoll_pwait2=441");

    private static final int NR_KILL = 62;
    private static final int NR_TGKILL = 234;
    private static final int NR_RT_SIGQUEUEINFO = 129;
    private static final int NR_RT_TGSIGQUEUEINFO = 297;
    private static final int NR_CLONE = 56;
    private static final int NR_CLONE3 = 435;
    private static final int NR_PRCTL = 157;
    private static final int NR_SOCKET = 41;
    private static final int NR_PRLIMIT64 = 302;

    /** prctl options a JVM uses: thread names, {@code PR_SET_VMA} names, and reading its own state. */
    static final int[] PRCTL_OPTIONS = {2 /* GET_PDEATHSIG */, 3 /* GET_DUMPABLE */, 15 /* SET_NAME */,
        16 /* GET_NAME */, 21 /* GET_SECCOMP */, 23 /* CAPBSET_READ */, 30 /* GET_TIMERSLACK */,
        39 /* GET_NO_NEW_PRIVS */, 0x53564d41 /* SET_VMA */};
    /** AF_UNIX, AF_INET, AF_INET6. */
    static final int[] SOCKET_DOMAINS = {1, 2, 10};

    private SeccompFilter() {
    }

    private static Map<String, Integer> table(String pairs) {
        Map<String, Integer> table = new TreeMap<>();
        for (String pair : pairs.trim().split("\\s+")) {
            String[] nameNumber = pair.split("=");
            table.put(nameNumber[0], Integer.parseInt(nameNumber[1]));
        }
        return Map.copyOf(table);
    }

    /** Whether this architecture has an allowlist here. */
    public static boolean supported() {
        return Linux.SYSCALL_NUMBERS != null && Linux.SYSCALL_NUMBERS.arch().equals("x86_64");
    }

    /** The BPF program, as {@code sock_filter} entries {code, jt, jf, k}, for a process whose pid is {@code pid}. */
    static List<long[]> program(int pid) {
        List<long[]> p = new ArrayList<>();
        p.add(op(LD_W_ABS, 0, 0, 4));                                  // arch
        p.add(op(JEQ_K, 1, 0, Linux.SYSCALL_NUMBERS.auditArch()));
        p.add(op(RET_K, 0, 0, RET_KILL_PROCESS));
        p.add(op(LD_W_ABS, 0, 0, 0));                                  // nr
        p.add(op(JGE_K, 0, 1, X32_SYSCALL_BIT));
        p.add(op(RET_K, 0, 0, RET_KILL_PROCESS));
        for (int nr : ALLOWED_X86_64.values().stream().sorted().toList()) {
            p.add(op(JEQ_K, 0, 1, nr));
            p.add(op(RET_K, 0, 0, RET_ALLOW));
        }
        // Own pid only: the kernel reads these pid arguments as ints, so the low 32 bits are the whole argument.
        for (int nr : new int[] {NR_KILL, NR_TGKILL, NR_RT_SIGQUEUEINFO, NR_RT_TGSIGQUEUEINFO}) {
            firstArgumentIn(p, nr, new int[] {pid});
        }
        firstArgumentIn(p, NR_PRLIMIT64, new int[] {0, pid});
        firstArgumentIn(p, NR_PRCTL, PRCTL_OPTIONS);
        firstArgumentIn(p, NR_SOCKET, SOCKET_DOMAINS);
        // clone only for threads: fork-like clones (no CLONE_THREAD) are refused.
        p.add(op(JEQ_K, 0, 4, NR_CLONE));
        p.add(op(LD_W_ABS, 0, 0, 16));
        p.add(op(JSET_K, 0, 1, CLONE_THREAD));
        p.add(op(RET_K, 0, 0, RET_ALLOW));
        p.add(op(RET_K, 0, 0, RET_ERRNO | Linux.EPERM));
        // clone3's flags are behind a pointer seccomp cannot read: say it does not exist, glibc then uses clone.
        p.add(op(JEQ_K, 0, 1, NR_CLONE3));
        p.add(op(RET_K, 0, 0, RET_ERRNO | Linux.ENOSYS));
        p.add(op(RET_K, 0, 0, RET_ERRNO | Linux.EPERM));
        return p;
    }

    /** Allows call {@code nr} when its first argument (an int) is one of {@code values}, refuses it otherwise. */
    private static void firstArgumentIn(List<long[]> p, int nr, int[] values) {
        p.add(op(JEQ_K, 0, values.length + 3, nr));
        p.add(op(LD_W_ABS, 0, 0, 16));
        for (int i = 0; i < values.length; i++) {
            // Equal: jump to the allow at the end of the block; otherwise try the next value.
            p.add(op(JEQ_K, values.length - i, 0, values[i]));
        }
        p.add(op(RET_K, 0, 0, RET_ERRNO | Linux.EPERM));
        p.add(op(RET_K, 0, 0, RET_ALLOW));
    }

    private static long[] op(short code, int jt, int jf, long k) {
        if (jt > 255 || jf > 255) {
            throw new IllegalStateException("BPF jump too far");
        }
        return new long[] {code, jt, jf, k & 0xFFFFFFFFL};
    }

    /**
     * Installs the filter on every thread of this process. Needs {@code PR_SET_NO_NEW_PRIVS} first. Throws
     * {@link Linux.LinuxError} when the kernel refuses, or {@link IllegalStateException} when a thread could not be
     * synchronised.
     */
    public static void install() {
        if (!supported()) {
            throw new IllegalStateException("no seccomp allowlist for " + System.getProperty("os.arch"));
        }
        List<long[]> program = program((int) ProcessHandle.current().pid());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment filter = arena.allocate(8L * program.size(), 8);
            for (int i = 0; i < program.size(); i++) {
                long[] op = program.get(i);
                MemorySegment entry = filter.asSlice(8L * i, 8);
                entry.set(ValueLayout.JAVA_SHORT, 0, (short) op[0]);
                entry.set(ValueLayout.JAVA_BYTE, 2, (byte) op[1]);
                entry.set(ValueLayout.JAVA_BYTE, 3, (byte) op[2]);
                entry.set(ValueLayout.JAVA_INT, 4, (int) op[3]);
            }
            MemorySegment fprog = arena.allocate(16, 8);
            fprog.set(ValueLayout.JAVA_SHORT, 0, (short) program.size());
            fprog.set(ValueLayout.JAVA_LONG, 8, filter.address());
            long result = Linux.syscall("seccomp(SECCOMP_SET_MODE_FILTER, TSYNC)", Linux.SYSCALL_NUMBERS.seccomp(),
                    SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, fprog.address(), 0, 0);
            if (result != 0) {
                throw new IllegalStateException("seccomp could not synchronise thread " + result);
            }
        }
    }
}
