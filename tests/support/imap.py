"""A real IMAP server (Debian's Dovecot) on a loopback port with a throwaway mail store, started by the tests.

Dovecot's service start is refused in this sandbox, so the harness runs `dovecot -c` with its own configuration
(../shared/TOOLCHAIN.md): plain-text login on 127.0.0.1 only, one user, maildir in a temporary folder.
"""

from __future__ import annotations

import imaplib
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.postgres import free_port

USERNAME = "lehc"
PASSWORD = "imap-test-secret"

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = 100
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid=dovenull gid=dovenull home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
}}
"""


def find_dovecot() -> str | None:
    return shutil.which("dovecot") or (str(Path("/usr/sbin/dovecot")) if Path("/usr/sbin/dovecot").exists() else None)


@dataclass
class IMAPServer:
    binary: str
    root: Path
    port: int

    @property
    def config_path(self) -> Path:
        return self.root / "dovecot.conf"

    def config(self, **overrides) -> dict:
        """The app's IMAP settings for this server."""
        return {
            "IMAP_HOST": "127.0.0.1",
            "IMAP_PORT": self.port,
            "IMAP_USE_SSL": False,  # a loopback test server only
            "IMAP_USERNAME": USERNAME,
            "IMAP_PASSWORD": PASSWORD,
            "IMAP_FOLDER": "INBOX",
            **overrides,
        }

    def start(self) -> None:
        for folder in ("run", "state", "mail"):
            (self.root / folder).mkdir(parents=True)
        (self.root / "users").write_text(f"{USERNAME}:{{PLAIN}}{PASSWORD}\n")
        self.config_path.write_text(CONFIG.format(root=self.root, port=self.port))
        if os.geteuid() == 0:
            shutil.chown(self.root / "mail", "dovenull", "dovenull")
        # Dovecot goes into the background holding its standard streams: capturing them would wait for ever
        subprocess.run(
            [self.binary, "-c", str(self.config_path)],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )
        deadline = time.monotonic() + 15
        while True:
            try:
                with self.connect():
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        try:
            subprocess.run(
                [self.binary, "-c", str(self.config_path), "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
                timeout=30,
            )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def connect(self) -> imaplib.IMAP4:
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        imap.login(USERNAME, PASSWORD)
        return imap

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        """Put a message in a folder as a mail server would."""
        with self.connect() as imap:
            imap.create(folder)
            status, detail = imap.append(folder, "", imaplib.Time2Internaldate(time.time()), raw)
            assert status == "OK", detail

    def count(self, folder: str) -> int:
        """How many undeleted messages a folder holds (0 when it does not exist)."""
        with self.connect() as imap:
            status, _ = imap.select(folder, readonly=True)
            if status != "OK":
                return 0
            _, found = imap.uid("SEARCH", None, "UNDELETED")
            return len((found[0] or b"").split())

    def empty(self) -> None:
        with self.connect() as imap:
            for folder in ("INBOX", "LEHC-Processed", "LEHC-Unprocessed"):
                if imap.select(folder)[0] == "OK" and imap.uid("SEARCH", None, "ALL")[1][0]:
                    imap.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                    imap.expunge()


def start_server() -> IMAPServer:
    binary = find_dovecot()
    if binary is None:
        raise FileNotFoundError("Dovecot (Debian package dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="lehc-imap-"))
    root.chmod(0o755)
    server = IMAPServer(binary=binary, root=root, port=free_port())
    server.start()
    return server
