#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The two-guest lab: master and remote in two QEMU guests, two kernels.

Usage: scripts/lab/two.py --master KDIR INITRD --remote KDIR INITRD
                          [--tag TAG] [--logdir DIR] [--demo | TEST...]

Two QEMU riscv64 "virt" guests, each booting its own kernel (KDIR's
arch/riscv/boot/Image) and initramfs, one with the master's channel
(dts/qemu-virt-two-master.dtsi), one with the remote's
(dts/qemu-virt-two-remote.dtsi). They share the carveout, a host file
mapped share=on as an ivshmem-plain PCI device's memory, at the same
guest-physical address in both (dts/qemu-virt-two.dtsi), and their UARTs
meet in a socket: the doorbell wire
(rpmsg_amp_serial_mbox rings the other guest's UART interrupt). The master's
QEMU listens on the wire, the remote's connects and reconnects, so either
can be killed and started again while the other keeps running.

Each guest's console is a virtio console on a socket this driver holds: it
types commands into the guest's shell (the lab initramfs without lab.test=)
and reads what they print, so the tests are the commands a user types,
run on either machine. Every console is logged to LOGDIR/TAG-NAME.log
(each boot appended), QEMU's own messages to LOGDIR/TAG-NAME.qemu.log.

TEST: basic, net, ns, kill-remote, kill-master (default: all), or bench
(figures: BENCH lines, scripts/run-bench.sh). Results
are "RESULT PASS|FAIL|SKIP TAG/NAME" lines (scripts/run-tests.sh counts
them); FIGURE lines carry the round-trip and throughput figures. --demo
shows echo/cat and ping across the two guests (scripts/run-demo.sh --two).
Exit status: 0 when nothing failed.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
QEMU = "qemu-system-riscv64"
CARVEOUT_MIB = 16


def board(shm):
    """QEMU options of one guest: the lab board, plus the shared carveout
    as an ivshmem-plain PCI device (slot 1) on the host file shm."""
    return ["-cpu", "rv64,sstc=off", "-smp", "2", "-m", "512M",
            "-object", f"memory-backend-file,id=shm,size={CARVEOUT_MIB}M,"
            f"mem-path={shm},share=on",
            "-device", "ivshmem-plain,memdev=shm,addr=1"]


class GuestError(Exception):
    pass


class Guest:
    """One QEMU guest and the shell on its console."""

    def __init__(self, lab, name, role, kdir, initrd):
        self.lab = lab
        self.name = name
        self.role = role
        # copies: a test run may rebuild them, and a killed guest boots again
        self.image = os.path.join(lab.dir, name + ".Image")
        self.initrd = os.path.join(lab.dir, name + ".initrd")
        for src, dst in ((os.path.join(kdir, "arch/riscv/boot/Image"),
                          self.image), (initrd, self.initrd)):
            if not os.path.isfile(src):
                raise GuestError(f"{name}: {src} missing")
            shutil.copyfile(src, dst)
        self.con = os.path.join(lab.dir, name + ".con")
        self.log = os.path.join(lab.logdir, f"{lab.tag}-{name}.log")
        self.qlog = os.path.join(lab.logdir, f"{lab.tag}-{name}.qemu.log")
        self.proc = None
        self.sock = None
        self.buf = ""
        self.cond = threading.Condition()
        self.seq = 0
        self.boots = 0
        self.dtb = os.path.join(lab.dir, name + ".dtb")
        env = dict(os.environ, LAB_BOARD=" ".join(board(lab.shm)))
        frag = f"dts/qemu-virt-two-{role}.dtsi"
        r = subprocess.run([os.path.join(REPO, "scripts/lab/run-qemu.sh"),
                            "--dtb", self.dtb, frag], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, check=False)
        if r.returncode:
            raise GuestError(f"{name}: DTB for {frag}: {r.stdout}")

    def start(self):
        """Boot; return once the guest's shell is ready."""
        wire = ["socket", "id=wire", "path=" + self.lab.wire]
        wire += ["server=on", "wait=off"] if self.role == "master" \
            else ["reconnect=1"]
        if os.path.exists(self.con):
            os.unlink(self.con)
        self.boots += 1
        with open(self.log, "a") as f:
            f.write(f"\n=== two: boot {self.boots} of {self.name} "
                    f"({self.role}) ===\n")
        cmd = [QEMU, "-machine", "virt", *board(self.lab.shm),
               "-display", "none", "-monitor", "none", "-bios", "default",
               "-kernel", self.image, "-initrd", self.initrd,
               "-dtb", self.dtb, "-no-reboot",
               "-chardev", ",".join(wire), "-serial", "chardev:wire",
               "-chardev", f"socket,id=con,path={self.con},server=on,"
               f"wait=on,logfile={self.log},logappend=on",
               "-device", "virtio-serial-device",
               "-device", "virtconsole,chardev=con",
               "-append", "console=hvc0 loglevel=4 panic=-1 "
               f"lab.variant={self.lab.variant} lab.two={self.role}"]
        qlog = open(self.qlog, "a")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=qlog, stderr=qlog)
        qlog.close()
        # QEMU waits for this connection (wait=on) before it starts the
        # guest, so nothing the guest prints is missed.
        deadline = time.monotonic() + 30
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.con)
                break
            except OSError:
                s.close()
                if self.proc.poll() is not None or \
                        time.monotonic() > deadline:
                    raise GuestError(f"{self.name}: QEMU did not start "
                                     f"(see {self.qlog})")
                time.sleep(0.05)
        self.sock = s
        with self.cond:
            self.buf = ""
        threading.Thread(target=self._reader, args=(s,), daemon=True).start()
        # The shell's banner can be lost (5.10's virtio console drops what
        # comes before the port is up): ask until the shell answers.
        deadline = time.monotonic() + 180 * self.lab.scale
        while True:
            with self.cond:
                start = len(self.buf)
            self.sock.sendall(b'echo "TW""OREADY"\n')
            try:
                self.expect("(?m)^TWOREADY$", 2, start)
                break
            except GuestError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise GuestError(f"{self.name}: no shell on the console "
                                     f"(see {self.log})")
        self.run(". /tests/lib.sh; . /tests/two-guest.sh", 30)

    def _reader(self, s):
        while True:
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            with self.cond:
                if not data:
                    self.buf += "\n=== two: console closed ===\n"
                    self.cond.notify_all()
                    return
                self.buf += data.decode("utf-8", "replace").replace("\r", "")
                self.cond.notify_all()

    def expect(self, pattern, timeout, start=0):
        """Wait for regex pattern in the output from offset start."""
        rx = re.compile(pattern if pattern.startswith("(?") else
                        re.escape(pattern))
        deadline = time.monotonic() + timeout * self.lab.scale
        with self.cond:
            while True:
                m = rx.search(self.buf, start)
                if m:
                    return m
                if "=== two: console closed ===" in self.buf[start:]:
                    raise GuestError(f"{self.name}: console closed while "
                                     f"waiting for {pattern!r}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise GuestError(f"{self.name}: no {pattern!r} within "
                                     f"{timeout} s")
                self.cond.wait(left)

    def run(self, cmd, timeout=60):
        """Type cmd into the shell; return (status, output)."""
        self.seq += 1
        tag = f"{self.seq}"
        with self.cond:
            start = len(self.buf)
        # the echo of the typed line shows "TW""OEND", the output "TWOEND"
        self.sock.sendall(f"{cmd}\necho \"TW\"\"OEND:$?:{tag}\"\n".encode())
        m = self.expect(f"(?m)^TWOEND:([0-9]+):{tag}$", timeout, start)
        out = self.buf[start:m.start()]
        for line in out.splitlines():
            i = line.find("RESULT ")
            if i >= 0:
                self.lab.result_line(line[i:])
            elif line.startswith("FIGURE "):
                print(line, flush=True)
        return int(m.group(1)), out

    def value(self, cmd, timeout=60):
        """The one line cmd prints (found by a tag, amid echoes)."""
        self.seq += 1
        tag = f"TWOVAL{self.seq}"
        _, out = self.run(f"echo \"{tag[:3]}\"\"{tag[3:]} $({cmd})\"",
                          timeout)
        m = re.search(f"(?m)^{tag} (.*)$", out)
        return m.group(1).strip() if m else ""

    def bg(self, cmd):
        """Start cmd in the guest's background; its output in /tmp."""
        self.run(f"( {cmd} ) </dev/null >/tmp/bg.out 2>&1 &")

    def kill(self):
        """kill -9 of the guest's QEMU: its CPUs stop, the carveout stays."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.sock:
            self.sock.close()
            self.sock = None
        with open(self.log, "a") as f:
            f.write(f"\n=== two: {self.name} killed (kill -9 of QEMU) ===\n")

    def stop(self):
        """Orderly end: the guest's kernel log, then power off."""
        if not self.proc or self.proc.poll() is not None:
            return
        try:
            self.run("echo '=== lab: dmesg ==='; dmesg", 60)
            self.sock.sendall(b"poweroff -f\n")
            self.proc.wait(30)
        except (GuestError, OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


class Lab:
    def __init__(self, args):
        self.tag = args.tag
        self.logdir = args.logdir
        os.makedirs(self.logdir, exist_ok=True)
        self.dir = tempfile.mkdtemp(prefix="rpmsg-lab-two.")
        self.wire = os.path.join(self.dir, "wire")
        self.shm = os.path.join(self.dir, "carveout")
        with open(self.shm, "wb") as f:
            f.truncate(CARVEOUT_MIB << 20)
        self.scale = int(os.environ.get("LAB_TIMEOUT_SCALE", "1"))
        self.variant = args.variant
        self.npass = self.nfail = self.nskip = 0
        for name in ("master", "remote"):
            for suffix in (".log", ".qemu.log"):
                p = os.path.join(self.logdir, f"{self.tag}-{name}{suffix}")
                if os.path.exists(p):
                    os.unlink(p)
        self.m = Guest(self, "master", "master", *args.master)
        self.r = Guest(self, "remote", "remote", *args.remote)

    def result_line(self, line):
        print(line, flush=True)
        st = line.split()[1] if len(line.split()) > 1 else ""
        if st == "PASS":
            self.npass += 1
        elif st == "FAIL":
            self.nfail += 1
        elif st == "SKIP":
            self.nskip += 1

    def result(self, ok, name, why=""):
        if ok:
            self.result_line(f"RESULT PASS {self.tag}/{name}")
        else:
            self.result_line(f"RESULT FAIL {self.tag}/{name}: {why}")
        return ok

    def check(self, guest, name, cmd, timeout=60):
        rc, out = guest.run(cmd, timeout)
        tail = " | ".join(out.strip().splitlines()[-3:])
        return self.result(rc == 0, name, f"'{cmd}' on the {guest.name} "
                           f"exited {rc}: {tail}")

    def close(self):
        for g in (self.m, self.r):
            g.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# ---- the tests ----------------------------------------------------------

def load(lab, t, g):
    """The modules into guest g, as a user would insmod them."""
    return lab.check(g, f"{t}/load_{g.name}", f"two_load {g.role}")


def linked(lab, t):
    """Both channels report the peer up."""
    ok = lab.check(lab.m, f"{t}/peer_up_master", "two_peer_up", 120)
    return lab.check(lab.r, f"{t}/peer_up_remote", "two_peer_up", 120) and ok


def test_basic(lab):
    """echo/cat both ways, then 10,000 random messages each way."""
    for a, b, name in ((lab.m, lab.r, "master_to_remote"),
                       (lab.r, lab.m, "remote_to_master")):
        b.bg("timeout 10 head -n 1 $TWO_DEV > /tmp/got")
        a.run("usleep 300000; echo hello-$TWO_ROLE > $TWO_DEV")
        b.run("wait")
        want = f"hello-{a.role}"
        lab.check(b, f"basic/echo_cat_{name}", f"[ \"$(cat /tmp/got)\" = {want} ]")
    # readers first (each prints its header once its device is open), then
    # the writers; every message checked byte for byte by its reader.  A
    # reader behind by more than the char device's queue would lose
    # messages by design (Documentation/usage.rst): the queue holds them
    # all here, and nothing may be dropped.
    n = 10000 if lab.variant != "debug" else 2500
    for g in (lab.m, lab.r):
        g.run(f"echo {2 * n} > /sys/module/rpmsg_amp_char/parameters/"
              "rx_queue_len; cat /sys/class/misc/${TWO_DEV#/dev/}/rx_dropped "
              "> /tmp/dropped0")
    def stress(g, half, what):
        g.run(f"rm -f /tmp/{what}.rc; (rpmsg_stress -x {half} -a $TWO_DEV "
              f"-b $TWO_DEV -n {n} -t 600 > /tmp/{what}.out 2>&1; "
              f"echo $? > /tmp/{what}.rc) &")

    for g, half in ((lab.r, "b-read"), (lab.m, "a-read")):
        stress(g, half, "read")
        g.run("lab_until 10 grep -q count= /tmp/read.out")
    t0 = time.monotonic()
    for g, half in ((lab.m, "a-write"), (lab.r, "b-write")):
        stress(g, half, "write")
    for g in (lab.m, lab.r):
        g.run("wait", 700)
    secs = time.monotonic() - t0
    for g in (lab.m, lab.r):
        for what in ("write", "read"):
            lab.check(g, f"basic/stress_{n}_{g.name}_{what}",
                      f"tail -n 2 /tmp/{what}.out; "
                      f"[ \"$(cat /tmp/{what}.rc)\" = 0 ]")
    for g in (lab.m, lab.r):
        lab.check(g, f"basic/none_dropped_{g.name}",
                  "[ $(cat /sys/class/misc/${TWO_DEV#/dev/}/rx_dropped) = "
                  "$(cat /tmp/dropped0) ]")
        g.run("echo 1024 > /sys/module/rpmsg_amp_char/parameters/rx_queue_len")
    print(f"FIGURE two {lab.tag}: {2 * n} messages across the guests in "
          f"{secs:.1f} s ({2 * n / secs:.0f} msgs/s)", flush=True)
    lab.check(lab.m, "basic/no_rejects_master", "two_no_rejects")
    lab.check(lab.r, "basic/no_rejects_remote", "two_no_rejects")


def iperf(a, b):
    """iperf3's receiver line of 3 s of TCP from guest a to guest b."""
    b.bg("/usr/local/bin/iperf3 -s -1")
    b.run("lab_until 10 sh -c 'netstat -ltn 2>/dev/null | grep -q :5201'")
    out = a.value("/usr/local/bin/iperf3 -c $TWO_PEER_IP -t 3 -f m "
                  "| grep receiver | tail -n 1", 60)
    b.run("wait", 30)
    return out


def test_net(lab):
    """ping both ways, TCP byte-exact both ways."""
    lab.check(lab.m, "net/up_master", "two_net_up 192.168.2.2")
    lab.check(lab.r, "net/up_remote", "two_net_up 192.168.2.3")
    lab.check(lab.m, "net/carrier_master", "two_carrier", 60)
    lab.check(lab.r, "net/carrier_remote", "two_carrier", 60)
    lab.check(lab.m, "net/ping_master_to_remote",
              "ping -c 5 -i 0.2 -W 5 -q 192.168.2.3", 60)
    lab.check(lab.r, "net/ping_remote_to_master",
              "ping -c 5 -i 0.2 -W 5 -q 192.168.2.2", 60)
    rtt = lab.m.value("/usr/local/bin/ping -c 20 -i 0.05 -q 192.168.2.3 "
                      "| tail -n 1", 60)
    print(f"FIGURE two {lab.tag}: ping, 20 x 56 bytes: {rtt}", flush=True)
    for a, b in ((lab.m, lab.r), (lab.r, lab.m)):
        print(f"FIGURE two {lab.tag}: iperf3 TCP {a.name} to {b.name}: "
              f"{iperf(a, b)}", flush=True)
    for a, b, ip, name in ((lab.m, lab.r, "192.168.2.3", "master_to_remote"),
                           (lab.r, lab.m, "192.168.2.2", "remote_to_master")):
        b.bg("nc -l -p 5000 -w 60 > /tmp/rx")
        b.run("lab_until 10 sh -c 'netstat -ltn 2>/dev/null | grep -q :5000'")
        a.run("dd if=/dev/urandom of=/tmp/tx bs=1k count=2048 2>/dev/null")
        t0 = time.monotonic()
        a.run(f"nc -w 5 {ip} 5000 < /tmp/tx", 120)
        b.run("wait", 120)
        secs = time.monotonic() - t0
        sa = a.value("echo $(sha256sum < /tmp/tx)")
        sb = b.value("echo $(wc -c < /tmp/rx) bytes, $(sha256sum < /tmp/rx)")
        lab.result(sb.endswith(sa) and sb.startswith("2097152 bytes"),
                   f"net/tcp_2MiB_exact_{name}",
                   f"sent {sa}, received {sb}")
        print(f"FIGURE two {lab.tag}: TCP {name} 2 MiB in {secs:.2f} s "
              f"({2 * 8 / secs:.2f} Mbit/s, nc, incl. setup)", flush=True)


def test_ns(lab):
    """An rpmsg device made on the master's bus is announced to the remote
    guest (a net device there), and withdrawn again."""
    rc, _ = lab.m.run("[ -f /lib/modules/kernel/rpmsg_ctrl.ko ]")
    if rc:
        lab.result_line(f"RESULT SKIP {lab.tag}/ns/create_destroy: "
                        "no rpmsg_ctrl before 5.18 on the master's kernel")
        return
    lab.check(lab.m, "ns/ctrl", "two_ctrl")
    lab.check(lab.m, "ns/create_dev", 'rpmsg_ept create-dev "$(ctrl_of rpmsg-1)" '
              "rpmsg-amp-net-frag 40 any")
    lab.check(lab.m, "ns/created_master", "lab_until 10 test -e /sys/class/net/rpmsg1_40")
    lab.check(lab.r, "ns/created_remote", "lab_until 10 test -e /sys/class/net/rpmsg2_40")
    lab.m.run("ip addr add 192.168.4.2/24 dev rpmsg1_40; ip link set rpmsg1_40 up")
    lab.r.run("ip addr add 192.168.4.3/24 dev rpmsg2_40; ip link set rpmsg2_40 up")
    lab.check(lab.m, "ns/ping", "lab_until 10 ping -c 1 -W 2 -q 192.168.4.3", 60)
    lab.check(lab.m, "ns/release_dev", 'rpmsg_ept release-dev "$(ctrl_of rpmsg-1)" '
              "rpmsg-amp-net-frag 40 any")
    lab.check(lab.m, "ns/destroyed_master", "lab_until 10 sh -c '! test -e /sys/class/net/rpmsg1_40'")
    lab.check(lab.r, "ns/destroyed_remote", "lab_until 10 sh -c '! test -e /sys/class/net/rpmsg2_40'")


def traffic(g):
    """Traffic the kill interrupts: pings and messages from g."""
    g.run("rm -f /tmp/stop")
    g.bg("ping -i 0.05 -W 1 $TWO_PEER_IP > /dev/null 2>&1 & "
         "while [ ! -e /tmp/stop ]; do "
         "echo x > $TWO_DEV 2>/dev/null || usleep 50000; done")


def test_kill(lab, victim):
    """kill -9 of one guest's QEMU under traffic, then boot it again: the
    other guest keeps its devices and modules, reports the peer down and
    works again with the new peer."""
    t = f"kill_{victim}"
    killed = lab.r if victim == "remote" else lab.m
    stayed = lab.m if victim == "remote" else lab.r
    lab.check(stayed, f"{t}/net_up_{stayed.name}", "two_net_up $TWO_IP")
    stayed.run("two_mark")
    traffic(stayed)
    time.sleep(2)
    killed.kill()
    time.sleep(1)
    killed.start()
    lab.check(stayed, f"{t}/devices_stayed", "two_devices_stayed")
    load(lab, t, killed)
    lab.check(stayed, f"{t}/peer_down_reported", "two_saw_peer_down", 120)
    linked(lab, t)
    lab.check(stayed, f"{t}/same_modules", "two_same_modules")
    stayed.run("touch /tmp/stop; pkill ping; wait", 60)
    for g in (stayed, killed):
        g.run("two_drain")
    for a, b in ((stayed, killed), (killed, stayed)):
        b.bg("timeout 10 head -n 1 $TWO_DEV > /tmp/got")
        a.run("usleep 300000; echo again-$TWO_ROLE > $TWO_DEV")
        b.run("wait")
        lab.check(b, f"{t}/echo_cat_{a.name}_to_{b.name}",
                  f"grep -qx again-{a.role} /tmp/got")
    lab.check(killed, f"{t}/net_up", "two_net_up $TWO_IP && two_carrier", 60)
    lab.check(stayed, f"{t}/ping", "ping -c 3 -i 0.2 -W 5 -q $TWO_PEER_IP", 60)
    lab.check(killed, f"{t}/ping_back",
              "ping -c 3 -i 0.2 -W 5 -q $TWO_PEER_IP", 60)


def shown(out):
    """A command's output as the console showed it, without the driver's
    own end-of-command line."""
    return "\n".join(line for line in out.splitlines()
                     if 'TW""OEND' not in line) + "\n"


def demo(lab):
    for g in (lab.m, lab.r):
        g.run("two_load $TWO_ROLE", 60)
    for g in (lab.m, lab.r):
        g.run("two_peer_up && two_net_up $TWO_IP && two_carrier", 120)
    print("\n--- echo/cat across the guests: the remote guest reads, "
          "the master guest writes", flush=True)
    lab.r.bg("timeout 5 cat /dev/rpmsg2_13 > /tmp/got")
    lab.m.run("usleep 300000; echo 'hello from the master guest' > /dev/rpmsg1_13")
    lab.r.run("wait")
    print("remote guest # cat /dev/rpmsg2_13\n" + lab.r.value("cat /tmp/got"),
          flush=True)
    print("--- ping across the guests", flush=True)
    _, out = lab.m.run("ping -c 3 192.168.2.3", 60)
    print("master guest # ping -c 3 192.168.2.3\n" + shown(out), flush=True)
    _, out = lab.r.run("ping -c 3 192.168.2.2", 60)
    print("remote guest # ping -c 3 192.168.2.2\n" + shown(out), flush=True)


def test_bench(lab):
    """Figures, not checks: round trip and throughput across the guests,
    as BENCH lines (scripts/run-bench.sh), with ratios of the same boot."""
    lab.check(lab.m, "bench/net_up_master", "two_net_up $TWO_IP && two_carrier", 60)
    lab.check(lab.r, "bench/net_up_remote", "two_net_up $TWO_IP && two_carrier", 60)
    figures = {}
    for size in (56, 1400):
        out = lab.m.value(f"/usr/local/bin/ping -c 50 -i 0.02 -q -s {size} "
                          "$TWO_PEER_IP | tail -n 1", 120)
        m = re.search(r"= ([0-9.]+)/([0-9.]+)/([0-9.]+)", out)
        if m:
            figures[f"ping_{size}B_rtt_min_ms"] = float(m.group(1))
            figures[f"ping_{size}B_rtt_avg_ms"] = float(m.group(2))
    for a, b in ((lab.m, lab.r), (lab.r, lab.m)):
        m = re.search(r"([0-9.]+) Mbits/sec", iperf(a, b))
        if m:
            figures[f"tcp_{a.name}_to_{b.name}_mbit_s"] = float(m.group(1))
    for k, v in figures.items():
        print(f"BENCH two_{k}={v}", flush=True)
    f = figures
    if "ping_56B_rtt_avg_ms" in f and "ping_1400B_rtt_avg_ms" in f:
        print("BENCH two_ping_rtt_ratio_1400B_56B="
              f"{f['ping_1400B_rtt_avg_ms'] / f['ping_56B_rtt_avg_ms']:.2f}")
    if "tcp_master_to_remote_mbit_s" in f and "tcp_remote_to_master_mbit_s" in f:
        print("BENCH two_tcp_ratio_remote_to_master_master_to_remote="
              f"{f['tcp_remote_to_master_mbit_s'] / f['tcp_master_to_remote_mbit_s']:.2f}")
    lab.result(len(f) == 6, "bench/figures", f"only {sorted(f)}")


TESTS = {
    "basic": test_basic,
    "net": test_net,
    "ns": test_ns,
    "kill-remote": lambda lab: test_kill(lab, "remote"),
    "kill-master": lambda lab: test_kill(lab, "master"),
    "bench": test_bench,
}


def main():
    ap = argparse.ArgumentParser(
        description="two-guest lab (see the top of this file)")
    ap.add_argument("--master", nargs=2, metavar=("KDIR", "INITRD"),
                    required=True)
    ap.add_argument("--remote", nargs=2, metavar=("KDIR", "INITRD"),
                    required=True)
    ap.add_argument("--tag", default="two")
    ap.add_argument("--logdir", default=os.path.join(REPO, "out/logs"))
    ap.add_argument("--demo", action="store_true")
    ap.add_argument("--variant", default="normal", choices=["normal", "debug"],
                    help="lab.variant= for the guests (debug: the debug "
                    "kernel, shorter loops)")
    ap.add_argument("tests", nargs="*", metavar="TEST",
                    help=", ".join(TESTS) + " (default: all)")
    args = ap.parse_args()
    tests = args.tests or [t for t in TESTS if t != "bench"]
    for name in tests:
        if name not in TESTS:
            ap.error(f"no test {name!r}: {', '.join(TESTS)}")

    try:
        lab = Lab(args)
    except GuestError as e:
        print(f"RESULT FAIL {args.tag}/lab: {e}", flush=True)
        return 1
    t0 = time.monotonic()
    try:
        lab.m.start()
        lab.r.start()
        if args.demo:
            demo(lab)
            return 0
        load(lab, "up", lab.m)
        load(lab, "up", lab.r)
        if not linked(lab, "up"):
            raise GuestError("the link did not come up")
        for name in tests:
            TESTS[name](lab)
        if lab.variant == "debug":
            for g in (lab.m, lab.r):
                g.run(f"kmemleak_check {lab.tag}/kmemleak_{g.name}", 300)
    except GuestError as e:
        lab.result(False, "lab", str(e))
    finally:
        lab.close()
        print(f"two {lab.tag}: {time.monotonic() - t0:.0f} s, logs "
              f"{lab.m.log}, {lab.r.log}", flush=True)
    return 1 if lab.nfail else 0


if __name__ == "__main__":
    sys.exit(main())
