"""iShares fund holdings: the published holdings CSV of a fund, downloaded by its ticker.

iShares serves each fund's holdings at::

    https://www.ishares.com/us/products/<product id>/<slug>/1467271812596.ajax
        ?fileType=csv&fileName=<TICKER>_holdings&dataType=fund

where ``<product id>`` and ``<slug>`` identify the fund's product page (``1467271812596`` is the
id of the page component that renders the file; it is the same for every US fund).
:data:`ISHARES_FUNDS` maps the funds behind the built-in ``us`` universe; other funds are added
with ``funds={"IVV": ("239726", "ishares-core-sp-500-etf")}`` (the id and slug are in the
address of the fund's page on ishares.com).

The download goes through :class:`~rotascope.data.http.HttpClient`, which retries timeouts,
HTTP 429/5xx, truncated bodies and the HTML page iShares sometimes sends with status 200 instead
of the file. The body is then parsed with
:func:`~rotascope.data.holdings.parse_ishares_holdings`; a file that does not parse raises a
:class:`~rotascope.errors.ProviderError` naming the fund, the URL and the line, and nothing is
written (:meth:`ISharesProvider.save` writes the file only after it parsed).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlencode

from rotascope.data.holdings import Holdings, parse_ishares_holdings
from rotascope.data.http import HttpClient
from rotascope.errors import InputError, ProviderError

__all__ = ["ISHARES_AJAX_ID", "ISHARES_BASE_URL", "ISHARES_FUNDS", "ISharesProvider"]

ISHARES_BASE_URL = "https://www.ishares.com"
#: Id of the page component serving holdings files (the same for every US iShares fund).
ISHARES_AJAX_ID = "1467271812596"

#: Fund ticker -> (product id, slug) of its page on ishares.com/us/products/.
ISHARES_FUNDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "IJH": ("239763", "ishares-core-sp-midcap-etf"),
        "IJK": ("239762", "ishares-sp-midcap-400-growth-etf"),
        "IJR": ("239774", "ishares-core-sp-smallcap-etf"),
        "IWB": ("239707", "ishares-russell-1000-etf"),
        "IWD": ("239708", "ishares-russell-1000-value-etf"),
        "IWF": ("239706", "ishares-russell-1000-growth-etf"),
        "IWM": ("239710", "ishares-russell-2000-etf"),
        "IWN": ("239712", "ishares-russell-2000-value-etf"),
        "IWO": ("239709", "ishares-russell-2000-growth-etf"),
        "IWP": ("239717", "ishares-russell-midcap-growth-etf"),
        "IWR": ("239718", "ishares-russell-midcap-etf"),
    }
)


class ISharesProvider:
    """Download and parse iShares fund holdings files.

    Parameters
    ----------
    client : HttpClient, optional
        The HTTP client (retries, backoff, body checks); a default one when omitted.
    base_url : str, default "https://www.ishares.com"
        Scheme and host the product paths are appended to (tests point it at a local server).
    funds : mapping, optional
        Extra or replacement entries ``ticker -> (product id, slug)``, merged over
        :data:`ISHARES_FUNDS`.

    Examples
    --------
    >>> iwm = ISharesProvider().fetch("IWM")  # doctest: +SKIP
    >>> iwm.membership("small-caps").head(3)  # doctest: +SKIP
    """

    name = "ishares"

    def __init__(
        self,
        client: HttpClient | None = None,
        base_url: str = ISHARES_BASE_URL,
        funds: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        self.client = client if client is not None else HttpClient()
        self.base_url = base_url.rstrip("/")
        merged = dict(ISHARES_FUNDS)
        for ticker, entry in (funds or {}).items():
            if not (
                isinstance(entry, tuple | list)
                and len(entry) == 2
                and all(isinstance(x, str) and x for x in entry)
            ):
                raise InputError(
                    f"funds[{ticker!r}] must be a (product id, slug) pair of strings "
                    f"(got {entry!r})"
                )
            merged[ticker.strip().upper()] = (str(entry[0]), str(entry[1]))
        self.funds: Mapping[str, tuple[str, str]] = MappingProxyType(merged)

    def __repr__(self) -> str:
        return f"ISharesProvider(base_url={self.base_url!r}, funds={len(self.funds)})"

    def url(self, fund: str) -> tuple[str, dict[str, str]]:
        """The address and query parameters of ``fund``'s holdings file.

        Raises
        ------
        InputError
            A fund that is not in :attr:`funds` (the message lists them).
        """
        ticker = fund.strip().upper()
        if ticker not in self.funds:
            raise InputError(
                f"ishares: unknown fund {fund!r}; known: {', '.join(sorted(self.funds))} "
                "(add others with funds={ticker: (product id, slug)})"
            )
        product, slug = self.funds[ticker]
        url = f"{self.base_url}/us/products/{product}/{slug}/{ISHARES_AJAX_ID}.ajax"
        params = {"fileType": "csv", "fileName": f"{ticker}_holdings", "dataType": "fund"}
        return url, params

    def download(self, fund: str) -> tuple[str, Holdings]:
        """Fetch ``fund``'s holdings file and parse it.

        Returns
        -------
        (text, Holdings)
            The file as received and its parsed holdings.

        Raises
        ------
        InputError
            Unknown fund.
        ProviderError
            Network faults after the last retry (timeouts, HTTP errors, HTML or truncated
            bodies), or a file that does not parse (naming the line).
        """
        ticker = fund.strip().upper()
        url, params = self.url(ticker)
        origin = f"ishares:{ticker}"
        text = self.client.get_text(url, params, origin=origin, expect="text")
        shown = f"{url}?{urlencode(params)}"
        try:
            holdings = parse_ishares_holdings(
                text, origin=f"{origin}: malformed holdings file at {shown}", fund=ticker
            )
        except InputError as exc:
            raise ProviderError(str(exc)) from None
        return text, dataclasses.replace(holdings, source=shown)

    def fetch(self, fund: str) -> Holdings:
        """Download and parse ``fund``'s holdings (see :meth:`download`)."""
        return self.download(fund)[1]

    def save(self, fund: str, folder: str | Path) -> tuple[Path, Holdings]:
        """Download ``fund``'s holdings and keep the file as ``<folder>/<TICKER>_holdings.csv``.

        The file is written only after it parsed, through a temporary file renamed into place,
        so a failed or malformed download leaves the folder as it was.

        Returns
        -------
        (path, Holdings)
        """
        text, holdings = self.download(fund)
        target_dir = Path(folder).expanduser()
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"{holdings.fund}_holdings.csv"
        fd, tmp = tempfile.mkstemp(prefix=f".{holdings.fund}_", suffix=".part", dir=target_dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target, holdings
