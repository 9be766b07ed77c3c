"""The table of moderation actions: everything the queue offers a moderator, one entry each.

From this table come the row's buttons (`row_buttons`, drawn by comments/admin/cells/actions.html),
Wagtail's bulk actions (bulk_actions.py generates one class per entry with a `question`), the
keyboard shortcuts (`shortcuts`, listed in Wagtail's shortcuts dialog; admin.js presses the button
carrying the key), the messages and JSON answers of admin_views.decide, and the preconditions
(`Action.applies`: the statuses it applies to, and a further test of the row).

Adding an action is one entry. In comments, append an `Action` to BUILTIN. From another app
(which may import comments), register a function under the Wagtail hook
`comment_queue_row_actions` (ROW_ACTIONS_HOOK) that takes no argument and returns a list of
`Action`s, e.g. changes' "Mark as feedback":

    @hooks.register("comment_queue_row_actions")
    def queue_row_actions():
        return [Action("feedback", _("Mark as feedback"), key="f", statuses={Status.PUBLISHED},
                       url=lambda moderation: reverse("changes_feedback", args=[moderation.pk]),
                       method="post")]

An entry either runs a function (`run(request, moderation, reason) -> bool`, False when nothing
changed), posted to admin_views.decide as `do=<name>:<pk>`, or opens a page (`url`), which the
button posts the row's form to (`method="post"`) or links to (`method="get"`). An entry with a
`question` and a `run` is also a bulk action, confirmed on Wagtail's page with that question.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail import hooks

from . import moderation as moderate
from .models import Discussion, Moderation, RejectReason, Role, Status

__all__ = ["BUILTIN", "ROW_ACTIONS_HOOK", "Action", "RowButton", "find", "row_buttons", "shortcuts", "table"]

ROW_ACTIONS_HOOK = "comment_queue_row_actions"
EVERY_STATUS = frozenset(Status.values)


@dataclass(frozen=True)
class Action:
    """One moderation action. `label` is the row's button; `key` its shortcut (and `shortcut` its
    line in the shortcuts dialog, the label by default); `done` the message for one comment
    (`%(pk)s`), `done_many` for a bulk run (`%(count)d`); `needs_reason`: it asks why (a reject
    reason); `needs_relations_email`: it is refused while Settings > Discussion has no Patient
    Relations address; `when`: a further precondition on the row (highlighted or not)."""

    name: str
    label: str
    key: str | None = None
    statuses: frozenset[str] = EVERY_STATUS
    run: Callable[[HttpRequest, Moderation, str], bool] | None = None
    url: Callable[[Moderation], str] | None = None
    method: str = "post"
    done: str = ""
    shortcut: str = ""
    needs_reason: bool = False
    needs_relations_email: bool = False
    when: Callable[[Moderation], bool] | None = None
    primary: bool = False
    dialog: bool = False  # admin.js asks the reason in a dialog instead of following the link
    # A pair sharing one button (admin.js flips its label and value): `toggles` names the action
    # that undoes this one, `undoes` the action this one undoes.
    toggles: str = ""
    undoes: str = ""
    permission: str = ""
    # A row this action may never apply to, whatever its state (a reader's reply as an official
    # answer): asking for it is refused with a 403, not answered "nothing to change".
    forbidden: Callable[[Moderation], bool] | None = None
    # Bulk: Wagtail's footer button and confirmation page.
    question: str = ""
    bulk_label: str = ""
    bulk_aria: str = ""
    done_many: object = None
    serious: bool = False

    def applies(self, request: HttpRequest, moderation: Moderation) -> bool:
        """The precondition: the row's status, the further test, and the user's permission."""
        if moderation.status not in self.statuses:
            return False
        if self.permission and not request.user.has_perm(self.permission):
            return False
        return self.when is None or self.when(moderation)

    @property
    def is_bulk(self) -> bool:
        return bool(self.question and self.run)


def _approve(request: HttpRequest, moderation: Moderation, reason: str) -> bool:
    moderate.approve(moderation, request.user)
    return True


def _reject(request: HttpRequest, moderation: Moderation, reason: str) -> bool:
    moderate.reject(moderation, request.user, reason if reason in RejectReason.values else RejectReason.OTHER)
    return True


def _spam(request: HttpRequest, moderation: Moderation, reason: str) -> bool:
    moderate.mark_spam(moderation, request.user)
    return True


def _route(request: HttpRequest, moderation: Moderation, reason: str) -> bool:
    return moderate.route_to_patient_relations(moderation, request.user, Discussion.for_request(request))


def _highlight(request: HttpRequest, moderation: Moderation, reason: str) -> bool:
    return moderate.highlight(moderation, request.user, on=True)


def _unhighlight(request: HttpRequest, moderation: Moderation, reason: str) -> bool:
    return moderate.highlight(moderation, request.user, on=False)


def _question(request: HttpRequest, moderation: Moderation, reason: str) -> bool:
    return moderate.mark_question(moderation, request.user, on=True)


def _unquestion(request: HttpRequest, moderation: Moderation, reason: str) -> bool:
    return moderate.mark_question(moderation, request.user, on=False)


def _answer(request: HttpRequest, moderation: Moderation, reason: str) -> bool:
    return moderate.answer(moderation, request.user)


def _admin_url(name: str) -> Callable[[Moderation], str]:
    return lambda moderation: reverse(f"comments_admin:{name}", args=[moderation.pk])


BUILTIN: list[Action] = [
    Action(
        "approve",
        _("Approve"),
        key="a",
        statuses=EVERY_STATUS - {Status.PUBLISHED},
        run=_approve,
        primary=True,
        done=_("Comment #%(pk)s approved."),
        question=_("Approve and publish these comments?"),
        bulk_aria=_("Approve the selected comments"),
        done_many=ngettext_lazy("%(count)d comment approved.", "%(count)d comments approved.", "count"),
    ),
    Action(
        "reject",
        _("Reject…"),
        key="r",
        statuses=EVERY_STATUS - {Status.REJECTED},
        run=_reject,
        url=_admin_url("reject"),
        method="get",
        dialog=True,
        needs_reason=True,
        shortcut=_("Reject (asks why)"),
        done=_("Comment #%(pk)s rejected."),
        question=_("Reject these comments?"),
        bulk_label=_("Reject"),
        bulk_aria=_("Reject the selected comments"),
        done_many=ngettext_lazy("%(count)d comment rejected.", "%(count)d comments rejected.", "count"),
    ),
    Action(
        "spam",
        _("Spam"),
        key="s",
        statuses=EVERY_STATUS - {Status.SPAM},
        run=_spam,
        shortcut=_("Mark as spam"),
        done=_("Comment #%(pk)s marked as spam."),
        question=_("Mark these comments as spam? They stay stored and are never shown."),
        bulk_aria=_("Mark the selected comments as spam"),
        done_many=ngettext_lazy(
            "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", "count"
        ),
        serious=True,
    ),
    Action("edit", _("Edit or redact"), key="e", url=_admin_url("edit"), method="get"),
    Action(
        "route",
        _("Send to Patient Relations"),
        key="p",
        run=_route,
        needs_relations_email=True,
        done=_("Comment #%(pk)s sent to Patient Relations."),
        question=_("Send Patient Relations a link to each of these comments (never the text)?"),
        bulk_aria=_("Send the selected comments to Patient Relations"),
        done_many=ngettext_lazy(
            "%(count)d comment sent to Patient Relations.",
            "%(count)d comments sent to Patient Relations.",
            "count",
        ),
    ),
    Action(
        "highlight",
        _("Highlight"),
        key="h",
        statuses=frozenset({Status.PUBLISHED}),
        run=_highlight,
        when=lambda moderation: moderate.can_highlight(moderation, on=True),
        toggles="unhighlight",
        shortcut=_("Highlight, or remove the highlight"),
        done=_("Comment #%(pk)s highlighted above its discussion."),
    ),
    Action(
        "unhighlight",
        _("Remove highlight"),
        key="h",
        statuses=frozenset({Status.PUBLISHED}),
        run=_unhighlight,
        when=lambda moderation: moderate.can_highlight(moderation, on=False),
        undoes="highlight",
        shortcut=_("Highlight, or remove the highlight"),
        done=_("Comment #%(pk)s is no longer highlighted."),
    ),
    Action(
        "question",
        _("Mark as a question"),
        key="q",
        statuses=frozenset({Status.PUBLISHED, Status.WAITING}),
        run=_question,
        when=lambda moderation: moderate.can_mark_question(moderation, on=True),
        toggles="unquestion",
        shortcut=_("Mark as a question, or not"),
        done=_("Comment #%(pk)s is marked as a question for the hospital."),
    ),
    Action(
        "unquestion",
        _("Not a question"),
        key="q",
        statuses=frozenset({Status.PUBLISHED, Status.WAITING}),
        run=_unquestion,
        when=lambda moderation: moderate.can_mark_question(moderation, on=False),
        undoes="question",
        shortcut=_("Mark as a question, or not"),
        done=_("Comment #%(pk)s is no longer marked as a question."),
    ),
    Action(
        "answer",
        _("Mark as the official answer"),
        statuses=frozenset({Status.PUBLISHED}),
        run=_answer,
        when=moderate.can_answer,
        forbidden=lambda moderation: moderation.role == Role.READER,
        done=_("Comment #%(pk)s is now the official answer to its question."),
    ),
    Action(
        "reply",
        _("Reply as staff"),
        statuses=frozenset({Status.PUBLISHED}),
        url=_admin_url("reply"),
        method="get",
    ),
]


def table() -> list[Action]:
    """Every action: ours, then those other apps register through ROW_ACTIONS_HOOK."""
    actions = list(BUILTIN)
    for hook in hooks.get_hooks(ROW_ACTIONS_HOOK):
        actions.extend(hook() or [])
    return actions


def find(name: str) -> Action | None:
    """The action that runs under this name (what a row's button posts), if any."""
    return next((action for action in table() if action.name == name and action.run), None)


@dataclass(frozen=True)
class RowButton:
    """One button of one row, as the cell template draws it."""

    action: Action
    label: str
    value: str = ""  # do=<name>:<pk>, for a button decide runs
    href: str = ""  # a link (method "get")
    formaction: str = ""  # another page the row's form posts to (method "post" with a url)
    label_on: str = ""  # a toggle's two labels (admin.js flips them)
    label_off: str = ""


def row_buttons(request: HttpRequest, moderation: Moderation, actions: Iterable[Action]) -> list[RowButton]:
    """The buttons of the actions that apply to this row, in the table's order."""
    by_name = {action.name: action for action in actions}
    buttons = []
    for action in by_name.values():
        if not action.applies(request, moderation):
            continue
        label_on = label_off = ""
        if action.toggles in by_name:
            label_on, label_off = str(action.label), str(by_name[action.toggles].label)
        elif action.undoes in by_name:
            label_on, label_off = str(by_name[action.undoes].label), str(action.label)
        if action.url is None:
            buttons.append(
                RowButton(
                    action,
                    str(action.label),
                    value=f"{action.name}:{moderation.pk}",
                    label_on=label_on,
                    label_off=label_off,
                )  # fmt: skip
            )
        elif action.method == "get":
            url = action.url(moderation)
            # A page that returns to the queue is told which page of it (as |urlencode writes it).
            href = f"{url}?next={quote(request.get_full_path(), safe='/')}" if action.dialog else url
            buttons.append(RowButton(action, str(action.label), href=href))
        else:
            buttons.append(RowButton(action, str(action.label), formaction=action.url(moderation)))
    return buttons


def shortcuts(actions: Iterable[Action]) -> list[tuple[str, str]]:
    """(label, key) for the shortcuts dialog: moving between rows, then each key once."""
    listed = [(_("Next comment"), "j"), (_("Previous comment"), "k")]
    taken = {"j", "k"}
    for action in actions:
        if action.key and action.key not in taken:
            taken.add(action.key)
            listed.append((action.shortcut or action.label, action.key))
    return listed
