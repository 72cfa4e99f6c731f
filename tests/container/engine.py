"""A private Docker engine for the container tests, and the local stand-ins for the images no
registry can give us here.

:class:`Engine` starts Debian's ``dockerd`` (package docker.io) beside any other engine on the
machine: its own socket, data and exec folders, pid file, containerd namespace, bridge and
address pool, and it never touches the host's firewall or routing (``--iptables=false``,
``--ip-forward=false``); builds use the host's network instead of NAT. Published ports go
through docker-proxy on 127.0.0.1, so the tests talk to loopback only.

The engine's data folder lives under ``~/.cache/kratom_info/`` (``KRATOM_CACHE_DIR``) so that a
second run reuses its images and build cache; a run that finds it locked by another run uses a
temporary one instead. :func:`debian_base_image` turns ``debootstrap --variant=minbase`` of the
Dockerfile's Debian release into the pinned base image (``docker import``), cached as a tarball.
"""

from __future__ import annotations

import fcntl
import hashlib
import ipaddress
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

CACHE_DIR = Path(os.environ.get("KRATOM_CACHE_DIR", Path.home() / ".cache" / "kratom_info"))
# A debootstrapped base older than this is made again, so security updates reach the tests.
BASE_MAX_AGE_DAYS = 7
# Build cache kept in the cached engine between runs (dependency layers of both images).
BUILD_CACHE_KEEP = "4GB"

# What the official "-slim" Debian images leave out (debuerreotype's slimify), as dpkg excludes.
SLIM_DPKG_EXCLUDES = """\
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
"""
# The official images' apt settings: no caches or recommended packages left in layers.
APT_CONF = {
    "docker-clean": (
        'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb '
        '/var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n'
        'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb '
        '/var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n'
        'Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";\n'
    ),
    "docker-no-languages": 'Acquire::Languages "none";\n',
    "docker-gzip-indexes": 'Acquire::GzipIndexes "true";\n',
    "docker-autoremove-suggests": 'Apt::AutoRemove::SuggestsImportant "false";\n',
}


class EngineUnavailable(RuntimeError):
    """The machine cannot run a private Docker engine (missing package, not root, ...)."""


# dockerd, debootstrap and ip live in sbin, which a non-login root shell may not have in PATH.
SBIN_PATH = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"


def run(command: list[str], timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    """Run ``command``; on failure raise with its output, so the test says what went wrong."""
    kwargs.setdefault("env", {**os.environ, "PATH": SBIN_PATH})
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def missing_tools() -> list[str]:
    """What this machine lacks to run :class:`Engine` (empty when it can)."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root (dockerd and debootstrap need it)")
    for tool, package in [
        ("dockerd", "docker.io"),
        ("debootstrap", "debootstrap"),
        ("docker-compose", "docker-compose"),
        ("ip", "iproute2"),
    ]:
        if not shutil.which(tool, path=SBIN_PATH):
            missing.append(f"{tool} (apt-get install {package})")
    if not docker_cli():
        missing.append("docker (apt-get install docker.io)")
    return missing


def docker_cli() -> str | None:
    """Debian's docker client: its ``docker build`` uses BuildKit without the buildx plugin
    (a newer client found first in PATH may need buildx, which Debian 12 does not package)."""
    if Path("/usr/bin/docker").exists():
        return "/usr/bin/docker"
    return shutil.which("docker")


def _used_networks() -> list[ipaddress.IPv4Network]:
    routes = run(["ip", "-4", "route", "show", "table", "all"]).stdout.split()
    used = []
    for word in routes:
        try:
            used.append(ipaddress.ip_network(word, strict=False))
        except ValueError:
            continue
    return [n for n in used if n.version == 4 and n.prefixlen > 0]


def _free_slash16() -> ipaddress.IPv4Network:
    """A 10.x.0.0/16 no route on this machine overlaps (each engine here picks its own)."""
    used = _used_networks()
    candidates = list(range(100, 250))
    random.shuffle(candidates)
    for second in candidates:
        net = ipaddress.ip_network(f"10.{second}.0.0/16")
        if not any(net.overlaps(other) for other in used):
            return net
    raise EngineUnavailable("no free 10.x.0.0/16 for the engine's bridge and networks")


class Engine:
    """A dockerd of our own; use as a context manager. ``docker(...)`` and ``compose(...)`` run
    the clients against it."""

    def __init__(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="kratom-dockerd-"))
        self.socket = self.workdir / "docker.sock"
        self.bridge = f"krt{os.getpid() % 100000}{random.randrange(100)}"[:15]  # noqa: S311
        self.process: subprocess.Popen | None = None
        self.data_root, self._lock = self._data_root()
        self.env = {
            **os.environ,
            "PATH": SBIN_PATH,
            "DOCKER_HOST": f"unix://{self.socket}",
            # Our own client config: no credentials, plugins or contexts from the host's.
            "DOCKER_CONFIG": str(self.workdir / "client"),
            "DOCKER_BUILDKIT": "1",
            "COMPOSE_DOCKER_CLI_BUILD": "1",
        }
        self.cli = docker_cli() or "docker"
        self.cold = not (self.data_root / "image").exists()

    def _data_root(self):
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        lock = (CACHE_DIR / "docker.lock").open("w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another run has the cached engine: start from nothing
            lock.close()
            return self.workdir / "data", None
        return CACHE_DIR / "docker", lock

    def __enter__(self) -> Engine:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        pool = _free_slash16()
        bridge_net = next(pool.subnets(new_prefix=24))
        run(["ip", "link", "add", "name", self.bridge, "type", "bridge"])
        run(["ip", "addr", "add", f"{bridge_net[1]}/{bridge_net.prefixlen}", "dev", self.bridge])
        run(["ip", "link", "set", self.bridge, "up"])
        (self.workdir / "client").mkdir()
        config = self.workdir / "daemon.json"
        config.write_text("{}")  # never the host's /etc/docker/daemon.json
        namespace = f"kratom{secrets.token_hex(6)}"  # containerd allows letters and digits
        command = [
            "dockerd",
            f"--config-file={config}",
            f"--host=unix://{self.socket}",
            f"--data-root={self.data_root}",
            f"--exec-root={self.workdir / 'exec'}",
            f"--pidfile={self.workdir / 'dockerd.pid'}",
            f"--bridge={self.bridge}",
            f"--default-address-pool=base={pool},size=24",
            f"--containerd-namespace={namespace}",
            f"--containerd-plugins-namespace={namespace}-plugins",
            "--iptables=false",
            "--ip-forward=false",
            "--ip-masq=false",
            "--storage-driver=overlay2",
        ]
        self.log = (self.workdir / "dockerd.log").open("w")
        self.process = subprocess.Popen(  # noqa: S603
            command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "PATH": SBIN_PATH},
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EngineUnavailable(f"dockerd exited: {self.log_tail()}")
            probe = subprocess.run(  # noqa: S603
                [self.cli, "version", "--format", "{{.Server.Version}}"],
                env=self.env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if probe.returncode == 0:
                self.version = probe.stdout.strip()
                return
            time.sleep(0.5)
        raise EngineUnavailable(f"dockerd did not answer within 60 s: {self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        path = self.workdir / "dockerd.log"
        return "\n".join(path.read_text().splitlines()[-lines:]) if path.exists() else ""

    def docker(self, *args: str, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
        return run([self.cli, *args], timeout=timeout, env=self.env, **kwargs)

    def stop(self) -> None:
        """Remove every container, network and volume, then stop dockerd and remove its
        bridge and folders (the cached data folder keeps images and build cache)."""
        try:
            if self.process and self.process.poll() is None:
                self._remove_everything_but_images()
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout=30)
        finally:
            if hasattr(self, "log"):
                self.log.close()
            subprocess.run(  # noqa: S603
                ["ip", "link", "delete", self.bridge],  # noqa: S607
                capture_output=True, check=False, env={**os.environ, "PATH": SBIN_PATH},
            )  # fmt: skip
            shutil.rmtree(self.workdir, ignore_errors=True)
            if self._lock:
                self._lock.close()

    def _remove_everything_but_images(self) -> None:
        ids = self.docker("ps", "--all", "--quiet").stdout.split()
        if ids:
            self.docker("rm", "--force", "--volumes", *ids)
        self.docker("network", "prune", "--force")
        self.docker("volume", "prune", "--force")
        self.docker("image", "prune", "--force")  # untagged images of earlier builds
        self.docker("builder", "prune", "--force", f"--keep-storage={BUILD_CACHE_KEEP}")

    def image_size(self, image: str) -> int:
        return int(self.docker("image", "inspect", "--format", "{{.Size}}", image).stdout)

    def inspect(self, container: str) -> dict:
        return json.loads(self.docker("inspect", container).stdout)[0]


def debian_mirror() -> str:
    """Debian's mirror as this machine's apt is configured (deb.debian.org if none)."""
    sources = list(Path("/etc/apt").glob("sources.list.d/*.sources"))
    texts = [p.read_text() for p in sources]
    if Path("/etc/apt/sources.list").exists():
        texts.append(Path("/etc/apt/sources.list").read_text())
    for text in texts:
        for uri in re.findall(r"(?:URIs:|deb)\s+(https?://\S+/debian)/?\s", text):
            return uri
    return "http://deb.debian.org/debian"


def _slim(rootfs: Path) -> None:
    """What debuerreotype does to make the official "-slim" images from the same minbase."""
    (rootfs / "etc/dpkg/dpkg.cfg.d/docker").write_text(SLIM_DPKG_EXCLUDES)
    for name, text in APT_CONF.items():
        (rootfs / "etc/apt/apt.conf.d" / name).write_text(text)
    for folder in ["usr/share/info", "usr/share/linda", "usr/share/locale", "usr/share/man",
                   "usr/share/groff", "usr/share/lintian/overrides"]:  # fmt: skip
        target = rootfs / folder
        if target.is_dir():
            shutil.rmtree(target)
            target.mkdir()
    for doc in (rootfs / "usr/share/doc").glob("*"):
        for item in doc.iterdir() if doc.is_dir() else []:
            if item.name != "copyright":
                shutil.rmtree(item) if item.is_dir() and not item.is_symlink() else item.unlink()
    # The packages debootstrap downloaded, and apt's caches and lists.
    for pattern in ["var/cache/apt/**/*.deb", "var/cache/apt/*.bin", "var/lib/apt/lists/*"]:
        for item in rootfs.glob(pattern):
            if item.is_file():
                item.unlink()


def _sources(release: str, mirror: str) -> str:
    """The official images' deb822 apt sources for ``release``, with this machine's mirror."""
    security = mirror.rsplit("/", 1)[0] + "/debian-security"
    keyring = "/usr/share/keyrings/debian-archive-keyring.pgp"
    return (
        f"Types: deb\nURIs: {mirror}\nSuites: {release} {release}-updates\n"
        f"Components: main\nSigned-By: {keyring}\n\n"
        f"Types: deb\nURIs: {security}\nSuites: {release}-security\n"
        f"Components: main\nSigned-By: {keyring}\n"
    )


def debian_rootfs_tarball(release: str) -> tuple[Path, float]:
    """``debootstrap --variant=minbase release``, slimmed like the official "-slim" image, as a
    tarball in the cache (made again after BASE_MAX_AGE_DAYS); returns it and the seconds
    spent making it (0 when cached)."""
    tarball = CACHE_DIR / f"debian-{release}-minbase-slim.tar"
    if tarball.exists() and time.time() - tarball.stat().st_mtime < BASE_MAX_AGE_DAYS * 86400:
        return tarball, 0.0
    started = time.monotonic()
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kratom-debootstrap-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        mirror = debian_mirror()
        run(["debootstrap", "--variant=minbase", release, str(rootfs), mirror], timeout=1800)
        (rootfs / "etc/apt/sources.list").unlink(missing_ok=True)
        (rootfs / "etc/apt/sources.list.d/debian.sources").write_text(_sources(release, mirror))
        _slim(rootfs)
        partial = tarball.with_name(f"{tarball.name}.{os.getpid()}.partial")
        run(["tar", "--numeric-owner", "--xattrs", "-C", str(rootfs), "-cf", str(partial), "."])
        partial.replace(tarball)
    return tarball, time.monotonic() - started


def import_base_image(engine: Engine, tarball: Path, tag: str) -> bool:
    """``docker import`` the root file system as ``tag`` with the official image's CMD, unless
    the engine has it already (an import makes a new image, and so misses every cached layer
    built on the old one). Returns whether it imported."""
    digest = hashlib.sha256()
    with tarball.open("rb") as archive:
        while chunk := archive.read(1 << 20):
            digest.update(chunk)
    probe = subprocess.run(  # noqa: S603
        [engine.cli, "image", "inspect", "--format", "{{json .RootFS.Layers}}", tag],
        env=engine.env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if probe.returncode == 0 and json.loads(probe.stdout) == [f"sha256:{digest.hexdigest()}"]:
        return False
    engine.docker("import", "--change", 'CMD ["bash"]', str(tarball), tag)
    return True
