"""The approvals module's 409 codes (API.md)."""

from django.utils.translation import gettext_lazy as _

from tessera.core.errors import Conflict


class ApprovalRequired(Conflict):
    """The document matches an approval rule and has no approval for what it is now."""

    code = "approval_required"
    default_message = _("This document needs approval first.")


class ApprovalPending(Conflict):
    code = "approval_pending"
    default_message = _("This document already waits for approval.")


class ApprovalNotRequired(Conflict):
    code = "approval_not_required"
    default_message = _("No approval rule applies to this document.")


class AlreadyApproved(Conflict):
    code = "already_approved"
    default_message = _("This document is already approved as it is.")


class ApproversMissing(Conflict):
    code = "approvers_missing"
    default_message = _("Not enough people can approve this document.")


class AlreadyDecided(Conflict):
    code = "already_decided"
    default_message = _("You have already decided this step.")
