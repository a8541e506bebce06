"""What a configured management group really holds, to check the scope Resource Graph answers for.

Resource Graph asked about a management group silently leaves out the subscriptions under it
that the identity holds no role on. ARM's descendants list names every subscription below the
group to anyone who may read the group (Microsoft.Management/managementGroups/read, e.g.
Management Group Reader), so comparing the two finds the subscriptions the audit cannot see.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from azure.core.exceptions import HttpResponseError, ServiceRequestError, ServiceResponseError

from auditor.collect.attempt import gap_from_error
from auditor.model.common import CoverageGap, GapReason, Source


async def subscriptions_under(client: Any, groups: Sequence[str]) -> tuple[dict[str, str], list[CoverageGap]]:
    """Lower-case subscription id -> the configured group it is under; a gap per group whose
    descendants could not be listed."""
    under: dict[str, str] = {}
    gaps: list[CoverageGap] = []
    for group in groups:
        try:
            async for item in client.management_groups.get_descendants(group):
                # Subscriptions are typed "/subscriptions" in the reference and
                # "Microsoft.Management/managementGroups/subscriptions" in its example: go by the id.
                rid = str(getattr(item, "id", "") or "")
                parts = rid.strip("/").split("/")
                if len(parts) == 2 and parts[0].lower() == "subscriptions" and parts[1]:
                    under.setdefault(parts[1].lower(), group)
        except (HttpResponseError, ServiceRequestError, ServiceResponseError, ValueError, TimeoutError) as exc:
            gap = gap_from_error(Source.ARM, group, exc)
            gaps.append(CoverageGap(
                Source.ARM, group, gap.reason,
                f"could not list what management group {group} holds, so subscriptions under it that the "
                f"identity cannot read are not known (Resource Graph leaves them out without a word); grant "
                f"Management Group Reader on the group, or list the subscriptions in scope.subscriptions: "
                f"{gap.detail}"))
    return under, gaps


def invisible_under_group(subscription: str, group: str) -> CoverageGap:
    return CoverageGap(Source.SUBSCRIPTION, subscription, GapReason.FORBIDDEN,
                       f"under management group {group} but not visible to the audit identity: it holds no "
                       f"role there, and Resource Graph silently leaves such subscriptions out")
