"""A real SMTP server on loopback for the delivery tests (aiosmtpd), switchable between four behaviours.

- ``accepte``: 250 to everything; the message is counted for each recipient;
- ``451``: every recipient refused for now (a full mailbox, greylisting): the sender must try again later;
- ``550``: every recipient refused for good (an address that does not exist);
- ``muet``: takes the connection, greets, then never answers the sender's recipients (a stuck server).

It runs in a thread of the test process; a Celery worker in another process talks to it over TCP.
"""

import asyncio
import socket
import threading
from collections import Counter
from email import message_from_bytes

from aiosmtpd.controller import Controller


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Comportement:
    def __init__(self) -> None:
        self.mode = "accepte"
        self.recus: Counter[str] = Counter()  # messages accepted, per recipient
        self.message_ids: list[str] = []
        self.tentatives: Counter[str] = Counter()  # RCPT commands seen, per recipient
        self._verrou = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._verrou:
            self.tentatives[address] += 1
        if self.mode == "451":
            return "451 4.2.2 Boîte pleine, réessayez plus tard"
        if self.mode == "550":
            return "550 5.1.1 Adresse inconnue"
        if self.mode == "muet":
            await asyncio.sleep(3600)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        with self._verrou:
            for destinataire in envelope.rcpt_tos:
                self.recus[destinataire] += 1
            self.message_ids.append(message["Message-ID"])
        return "250 Message accepted for delivery"


class ServeurSmtp:
    def __init__(self) -> None:
        self.port = port_libre()
        self.comportement = Comportement()
        self._controleur = Controller(self.comportement, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "ServeurSmtp":
        self._controleur.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controleur.stop(no_assert=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def mode(self, mode: str) -> None:
        self.comportement.mode = mode

    @property
    def recus(self) -> Counter[str]:
        return self.comportement.recus
