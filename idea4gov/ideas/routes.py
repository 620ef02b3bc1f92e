"""Idea pages: post, read, vote, comment, report."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice

from idea4gov import httpcache, pagecache, ratelimit
from idea4gov.areas import rounds
from idea4gov.areas.services import get_area_or_404
from idea4gov.auth.models import Role
from idea4gov.auth.permissions import has_role
from idea4gov.chrome import CSRF_SLOT, shared_reader_page
from idea4gov.csrf_token import csrf_token
from idea4gov.extensions import db
from idea4gov.i18n import current_locale, lazy_function, lazy_text
from idea4gov.ideas import bp, services, similar
from idea4gov.ideas.forms import CommentForm, IdeaForm, ReportForm
from idea4gov.ideas.messages import service_message
from idea4gov.ideas.models import Comment, Idea, ReportReason, Visibility, Vote
from idea4gov.joincodes import services as joincodes
from idea4gov.oidc import drafts
from idea4gov.oidc.routes import verification_needed
from idea4gov.receipts import services as receipts
from idea4gov.verification.models import VerificationState


def can_see(idea: Idea) -> bool:
    """Everyone sees a published idea; its author and the area's moderators also see it while it is not."""
    return idea.visibility == Visibility.published or (
        current_user.is_authenticated and idea.author_id == current_user.id
    ) or has_role(current_user, Role.moderator, idea.area_id)


def get_visible_idea_or_404(idea_id: int, *options) -> Idea:  # noqa: ANN002
    """The idea, when the current user may see it (`can_see`); otherwise 404."""
    idea = db.session.get(Idea, idea_id, options=options)
    if idea is None or not can_see(idea):
        abort(404)
    return idea


@lazy_function("idea_error")
def _error_text(code: str) -> str:
    """A refused action's message by its code, for a flash translated on the page that shows it."""
    return service_message(services.ServiceError(code))


def _safe_back(idea: Idea) -> str:
    return url_for("ideas.show", idea_id=idea.id)


@bp.route("/areas/<slug>/ideas/new", methods=["GET", "POST"])
@ratelimit.limit("ideas", deduct_when=ratelimit.created)
@login_required
def create(slug: str):
    """Post a new idea to an area."""
    area = get_area_or_404(slug)
    form = IdeaForm()
    schedule = rounds.area_rounds(area)
    themes = schedule.accepting(area.themes)
    locale = current_locale()
    form.theme.choices = [SelectChoice(theme.slug, theme.title(locale)) for theme in themes]
    from idea4gov.areas.settings import settings_of

    page = {"area": area, "form": form, "schedule": schedule, "area_bbox": settings_of(area).bounding_box,
            "precision_m": settings_of(area).location_precision_m}
    if not area.is_open or area.is_archived or not themes:
        return render_template("ideas/new.html", closed=True, **page), 403
    if request.method == "GET" and request.args.get("theme"):
        form.theme.data = request.args["theme"]
    if request.method == "GET":
        _put_back_draft(form)
    suggestions = []
    valid = form.validate_on_submit()
    _explain_closed_theme(form, area, schedule)
    point = _point_from(form, area) if request.method == "POST" else None
    valid = valid and not (form.lat.errors or form.lng.errors)
    if valid:
        # Without JavaScript nobody saw the suggestions while typing: a report of a problem already
        # reported (same issue) or a near-copy of a published idea gets a "did you mean" step first,
        # same-issue matches first (confirm_new=1 skips it).
        if request.form.get("confirm_new") != "1":
            text = f"{form.title.data}\n{form.body.data}"
            suggestions = [
                match for match in similar.similar_matches(area, text, 5)
                if match.same_issue or match.score >= similar.CONFIRM_THRESHOLD
            ]
            # Same place, some of the same words: very likely the same issue reported here already.
            shown = {match.idea.id for match in suggestions}
            suggestions += [similar.SimilarIdea(idea, score, True)
                            for idea, score, _distance in similar.nearby_ideas(area, text, point, 5)
                            if score >= similar.NEARBY_CONFIRM_THRESHOLD and idea.id not in shown]
            if suggestions:
                return render_template(
                    "ideas/new.html", closed=False, suggestions=suggestions,
                    supported=services.supported_ids(current_user, [m.idea.id for m in suggestions]), **page)
        theme = next(theme for theme in themes if theme.slug == form.theme.data)
        data = services.IdeaInput(form.title.data, form.body.data, theme, form.place_name.data, point,
                                  form.point_source.data if form.point_source.data in ("map", "device") else "typed")
        try:
            idea = services.create_idea(area, current_user, data, schedule=schedule)
        except services.ServiceError as error:
            db.session.rollback()
            (getattr(form, error.field).errors if error.field else form.form_errors).append(service_message(error))
        else:
            receipts.queue_receipt(idea)
            joincodes.note_use("idea", idea.id, idea.area_id)
            db.session.commit()
            if idea.visibility == Visibility.published:
                flash(_l("ส่งไอเดียเรียบร้อยแล้ว ขอบคุณที่ร่วมเสนอ เลขที่รับเรื่องของคุณคือ %(ref)s", ref=idea.reference),
                      "success")
            else:
                flash(_l("ส่งไอเดียแล้ว (เลขที่รับเรื่อง %(ref)s) ไอเดียจะแสดงต่อสาธารณะเมื่อผู้ดูแลตรวจสอบแล้ว",
                         ref=idea.reference), "success")
            return redirect(url_for("ideas.show", idea_id=idea.id))
    status = 400 if form.errors else 200
    return render_template("ideas/new.html", closed=False, **page), status


def _put_back_draft(form: IdeaForm) -> None:
    """What the resident typed before leaving to verify their identity comes back into the form."""
    fields = drafts.take(request.path)
    for name, value in fields.items():
        getattr(form, name).data = value
    if fields:
        flash(_l("ข้อความที่คุณพิมพ์ไว้กลับมาในแบบฟอร์มแล้ว ตรวจดูแล้วกดส่งได้เลย"), "info")
def _point_from(form: IdeaForm, area):  # noqa: ANN001, ANN202
    """The point typed or picked, checked against Thailand or the area's box; errors go next to the field."""
    from idea4gov.places import services as places
    from idea4gov.places.messages import geo_message

    try:
        return places.validated_point(area, form.lat.data, form.lng.data)
    except places.GeoError as error:
        getattr(form, error.field or "lat").errors = [geo_message(error.code)]
        return None


def _explain_closed_theme(form: IdeaForm, area, schedule) -> None:  # noqa: ANN001
    """A theme of the area that closed (its round ended) since the form was opened: say when the next opens."""
    if not form.theme.errors:
        return
    theme = next((t for t in area.themes if t.slug == form.theme.data), None)
    if theme is not None and theme.is_open and not schedule.window(theme).in_round:
        next_opens_at = schedule.window(theme).next_opens_at
        form.theme.errors = [service_message(services.ServiceError("round_closed", next_opens_at=next_opens_at))]


@functools.cache
def _page_statements() -> dict[str, sa.Select]:
    """The idea page's statements, built once with parameters: building a statement with its
    loader options cost more than running it (SQLAlchemy also keeps a reused statement's cache key)."""
    # The area (with its settings) decides votes, comments and the point's rounding on every view; the
    # theme and author only show in the parts every visitor shares, read when those are made again.
    idea = sa.select(Idea).where(Idea.id == sa.bindparam("idea_id")).options(joinedload(Idea.area))
    voted = sa.exists().where(Vote.idea_id == Idea.id, Vote.user_id == sa.bindparam("user_id"))

    def comments(shown) -> sa.Select:  # noqa: ANN001
        return (sa.select(Comment)
                .where(Comment.idea_id == sa.bindparam("idea_id"), Comment.parent_id.is_(None), shown)
                # Authors and agencies come with their comments (one statement for the comments, one
                # for all their replies), not in statements of their own.
                .options(joinedload(Comment.author), joinedload(Comment.agency),
                         selectinload(Comment.replies).joinedload(Comment.author),
                         selectinload(Comment.replies).joinedload(Comment.agency))
                .order_by(Comment.created_at, Comment.id))

    published = Comment.visibility == Visibility.published
    # Whether it has any comment at all (of any state): most ideas have none, and then their comments
    # are not read.
    commented = sa.exists().where(Comment.idea_id == Idea.id).label("commented")
    return {
        "idea": idea.add_columns(commented),
        # A signed-in visitor's page: whether they support it comes with the idea (one round trip).
        "idea+voted": idea.add_columns(commented, voted.label("voted")),
        # Everyone sees published comments; authors also their own waiting or refused ones,
        # with the reason, and the area's moderators all of them.
        "comments": comments(published),
        "comments+mine": comments(sa.or_(published, Comment.author_id == sa.bindparam("user_id"))),
        "comments+all": comments(sa.true()),
    }


@bp.get("/ideas/<int:idea_id>")
@httpcache.public_page(lambda idea_id: pagecache.hint("idea", idea_id))
def show(idea_id: int):
    """Show one idea with its supporters and comments."""
    statements = _page_statements()
    if idea_id > MAX_ROW_ID:
        abort(404)
    reader = current_user._get_current_object()
    if reader.is_authenticated:
        row = db.session.execute(statements["idea+voted"], {"idea_id": idea_id, "user_id": reader.id}).first()
    else:
        row = db.session.execute(statements["idea"], {"idea_id": idea_id}).first()
    if row is None or not can_see(row[0]):
        abort(404)
    idea, commented = row[0], row[1]
    pagecache.remember("idea", idea.id, idea.area_id)
    return _render_idea(idea, voted=bool(row[2]) if len(row) > 2 else False, commented=bool(commented))


def _render_idea(idea: Idea, comment_form: CommentForm | None = None, report_form: ReportForm | None = None,
                 status: int = 200, confirm_form=None, rating_form=None, voted: bool | None = None,
                 commented: bool = True):
    """The idea page; failed forms come back with what was typed and their errors."""
    reader = current_user._get_current_object()
    moderator = has_role(reader, Role.moderator, idea.area_id)
    officer = has_role(reader, Role.officer, idea.area_id)
    me = reader.id if reader.is_authenticated else None
    statements = _page_statements()
    if not commented:
        comments = []
    elif moderator:
        comments = db.session.scalars(statements["comments+all"], {"idea_id": idea.id}).all()
    elif me is not None:
        comments = db.session.scalars(statements["comments+mine"], {"idea_id": idea.id, "user_id": me}).all()
    else:
        comments = db.session.scalars(statements["comments"], {"idea_id": idea.id}).all()
    shown_ids = {
        c.id for top in comments for c in (top, *top.replies)
        if moderator or c.visibility == Visibility.published or (me is not None and c.author_id == me)
    }
    if voted is None:
        voted = services.has_voted(idea, reader)
    parts = _idea_parts(idea)
    closed_to = _closed_to(idea)
    after = _after_answer(idea, parts, voted, officer, confirm_form, rating_form)

    def render() -> str:
        return render_template(
            "ideas/show.html",
            idea=idea,
            closed_to=closed_to,
            parts=parts,
            comments=comments,
            shown_ids=shown_ids,
            voted=voted,
            # Officers of the area get the merged ideas with their unmerge buttons; everyone else
            # the list every visitor shares (in `parts`).
            officer=officer,
            # Forms (and their CSRF tokens) only for the signed-in: an anonymous page carries none.
            # Empty forms are the same for everyone but the token: rendered once and reused.
            forms=_empty_forms(idea, comment_form, report_form) if me is not None else {},
            comment_form=comment_form,
            # The comments' own report buttons list its reasons.
            report_form=report_form or (ReportForm(formdata=None) if me is not None and comments else None),
            **after,
        )

    # Profiled on the bench, rendering a resident's idea page was a quarter of its time, for HTML that
    # differs between residents only in their CSRF token once the idea (its area's content version), their
    # support and why votes or comments are closed are the same (and the frame: `shared_reader_page`).
    # Made for the reader alone: comments (a resident sees their own waiting ones), an idea not yet public,
    # a confirmation round or rating (theirs), a vote needing an identity they have not verified, staff of
    # the area, and forms sent back with errors.
    if (status != 200 or moderator or officer or commented or comment_form is not None or report_form is not None
            or after["round"] is not None or after["may_rate"] or idea.visibility != Visibility.published
            or verification_needed(idea.area, "vote") is not None):
        return render(), status
    key = ("idea", idea.id, voted, tuple(closed_to.items()))
    return shared_reader_page(key, idea.area_id, render), status


def _after_answer(idea: Idea, parts: dict, voted: bool, officer: bool, confirm_form, rating_form) -> dict:  # noqa: ANN001
    """The reader's side of what came after the answer: the idea's point as they may see it, whether they
    may confirm the round (and their answer) or rate the answer (and their rating). An idea's author and
    supporters follow it (`verification.may_respond`, `satisfaction.may_rate`): known here without a query."""
    from idea4gov.places import services as places
    from idea4gov.projects.forms import ConfirmForm, RatingForm
    from idea4gov.satisfaction import services as satisfaction
    from idea4gov.verification import services as verification

    round_, exact = parts["round"], parts["point"]
    reader = current_user._get_current_object()
    follower = reader.is_authenticated and (voted or idea.author_id == reader.id)
    may_respond = follower and round_ is not None and round_.state == VerificationState.open
    may_rate = follower and idea.visibility == Visibility.published and idea.first_answered_at is not None
    rating = satisfaction.rating_of(idea, reader) if may_rate else None
    return {
        "point": exact if officer or exact is None else places.public_point(exact, idea.area),
        "point_exact": officer,
        "round": round_,
        "disputes": (),  # in `parts`: the same for everyone
        "may_respond": may_respond,
        "my_response": verification.response_of(reader, round_) if may_respond else None,
        # Forms only for who may use them: an anonymous page carries no CSRF token (idea4gov.httpcache).
        "confirm_form": confirm_form or (ConfirmForm(formdata=None) if may_respond else None),
        "may_rate": may_rate,
        "rating": rating,
        "rating_changeable": rating is None or satisfaction.utcnow() <= satisfaction.changeable_until(rating),
        "rating_form": rating_form or (RatingForm(formdata=None, score=str(rating.score) if rating else None,
                                                   comment=rating.comment if rating else "") if may_rate else None),
    }


def _closed_to(idea: Idea) -> dict[str, str | None]:
    """Why votes and comments are not taken on this idea now (archived area, round over), or None."""
    from idea4gov.areas.settings import settings_of

    settings = settings_of(idea.area)
    # The theme's rounds are read once for both (when either follows them).
    window = rounds.theme_window(idea.theme_id) if not idea.area.is_archived and (
        settings.votes_follow_rounds or settings.comments_follow_rounds) else None
    reasons: dict[str, str | None] = {}
    for kind in ("votes", "comments"):
        try:
            rounds.check_engagement(idea.area, idea.theme_id, kind, window)
        except services.ServiceError as error:
            reasons[kind] = service_message(error)
        else:
            reasons[kind] = None
    return reasons


#: The parts of an idea's page that are the same for every visitor, rendered once and reused.
IDEA_PARTS = (("head", "ideas/_article_head.html"), ("body", "ideas/_article_body.html"),
              ("sources", "triage/_merged_sources.html"), ("history", "triage/_history.html"),
              ("project", "ideas/_project_notice.html"), ("developed", "events/_developed_at.html"),
              ("disputes", "projects/_verification.html"))


@dataclass(frozen=True)
class RoundView:
    """The idea's latest confirmation round as its page shows it (kept with the reused parts: no row)."""

    id: int
    idea_id: int | None
    project_id: int | None
    state: VerificationState
    done_count: int
    not_done_count: int


def _idea_parts(idea: Idea) -> dict:
    """The HTML every visitor shares, and what the reader's part needs of the same rows (the idea's exact
    point, its latest confirmation round): read and rendered once per content version of its area."""
    def render() -> dict:
        from idea4gov.places import services as places
        from idea4gov.projects.services import project_of
        from idea4gov.verification.models import Verification

        rounds = db.session.scalars(sa.select(Verification).where(Verification.idea_id == idea.id)
                                    .order_by(Verification.id.desc())).all()
        # officer=False: the merged ideas as the public sees them, whoever renders them first;
        # round=None: only the disputes (the confirmation form is the reader's).
        context = {"idea": idea, "officer": False, "project": project_of(idea), "round": None,
                   "disputes": [r for r in rounds if r.state == VerificationState.disputed]}
        parts: dict = {name: Markup(render_template(template, **context)) for name, template in IDEA_PARTS}
        latest = rounds[0] if rounds else None
        parts["round"] = latest and RoundView(latest.id, latest.idea_id, latest.project_id, latest.state,
                                              latest.done_count, latest.not_done_count)
        parts["point"] = places.locations_of([idea.id]).get(idea.id)
        return parts

    if idea.visibility != Visibility.published:  # its author and moderators see where it stands
        return render()
    return pagecache.cached(("idea-parts", idea.id, current_locale()), idea.area_id, render)


EMPTY_FORMS = (("comment", "ideas/_comment_form.html"), ("report", "ideas/_report_form.html"))


def _empty_forms(idea: Idea, comment_form: CommentForm | None, report_form: ReportForm | None) -> dict[str, Markup]:
    """The comment and report forms' HTML: a form sent back with errors is rendered as it came."""
    token = csrf_token()

    def render() -> dict[str, str]:
        forms = {"comment_form": CommentForm(formdata=None), "report_form": ReportForm(formdata=None)}
        return {name: render_template(template, idea=idea, **forms).replace(token, CSRF_SLOT)
                for name, template in EMPTY_FORMS}

    parts = pagecache.cached(("idea-forms", idea.id, current_locale()), idea.area_id, render)
    given = {"comment": comment_form, "report": report_form}
    return {name: Markup(render_template(template, idea=idea, **{f"{name}_form": given[name]}))
            if given[name] is not None else Markup(parts[name].replace(CSRF_SLOT, token))
            for name, template in EMPTY_FORMS}


@bp.post("/ideas/<int:idea_id>/vote")
@ratelimit.limit("votes")
@login_required
def vote(idea_id: int):
    """Support an idea (idempotent)."""
    return _vote_action(idea_id, services.vote, _l("คุณสนับสนุนไอเดียนี้แล้ว"))


@bp.post("/ideas/<int:idea_id>/unvote")
@ratelimit.limit("votes")
@login_required
def unvote(idea_id: int):
    """Withdraw support (idempotent)."""
    return _vote_action(idea_id, services.unvote, _l("ถอนการสนับสนุนแล้ว"))


def _vote_action(idea_id: int, action, message: LazyString):
    idea = get_visible_idea_or_404(idea_id)
    try:
        changed = action(idea, current_user)
    except services.ServiceError as error:
        db.session.rollback()
        flash(lazy_text("idea_error", error.message), "error")
        return redirect(_safe_back(idea))
    if changed:
        joincodes.note_use("vote" if action is services.vote else "unvote", idea.id, idea.area_id)
    db.session.commit()
    flash(message, "success")
    return redirect(_safe_back(idea) + "#support")


@bp.post("/ideas/<int:idea_id>/comments")
@ratelimit.limit("comments", deduct_when=ratelimit.created)
@login_required
def comment(idea_id: int):
    """Comment on an idea or reply to a comment."""
    idea = get_visible_idea_or_404(idea_id)
    form = CommentForm()
    if form.validate_on_submit():
        parent_id = _int_or_none(form.parent_id.data)
        try:
            created = services.add_comment(idea, current_user, form.body.data, parent_id)
        except services.ServiceError as error:
            db.session.rollback()
            form.body.errors.append(service_message(error))
            if error.message == "parent_closed":
                form.parent_id.data = ""  # the text comes back in the main form, as a new comment
        else:
            joincodes.note_use("comment", created.id, idea.area_id)
            db.session.commit()
            if created.visibility == Visibility.published:
                flash(_l("ส่งความคิดเห็นแล้ว"), "success")
            else:
                flash(_l("ส่งความคิดเห็นแล้ว ความคิดเห็นจะแสดงต่อสาธารณะเมื่อผู้ดูแลตรวจสอบแล้ว"), "success")
            return redirect(_safe_back(idea) + f"#comment-{created.id}")
    return _render_idea(idea, comment_form=form, status=400)


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete_comment(comment_id: int):
    """Delete my own comment (it stays, shown as deleted)."""
    comment = db.get_or_404(Comment, comment_id)
    try:
        services.delete_comment(comment, current_user)
    except services.ServiceError as error:
        abort(error.status)
    db.session.commit()
    flash(_l("ลบความคิดเห็นแล้ว"), "success")
    return redirect(url_for("ideas.show", idea_id=comment.idea_id))


@bp.post("/ideas/<int:idea_id>/report")
@ratelimit.limit("reports")
@login_required
def report(idea_id: int):
    """Report an idea, or one of its comments, to the moderators."""
    idea = get_visible_idea_or_404(idea_id)
    form = ReportForm()
    if not form.validate_on_submit():
        return _render_idea(idea, report_form=form, status=400)
    comment = None
    comment_id = _int_or_none(form.comment_id.data)
    if comment_id is not None:
        comment = db.session.get(Comment, comment_id)
        if comment is None or comment.idea_id != idea.id:
            abort(404)
    added = services.report(
        current_user, ReportReason(form.reason.data), form.details.data or "",
        idea=None if comment else idea, comment=comment,
    )
    db.session.commit()
    flash(_l("ขอบคุณ เราได้รับรายงานแล้ว ผู้ดูแลจะตรวจสอบ") if added else _l("คุณรายงานรายการนี้ไปแล้ว"), "success")
    # A report that tipped the idea into auto-hide leaves no page to return to: the area's list instead.
    return redirect(_safe_back(idea) if can_see(idea) else url_for("areas.show", slug=idea.area.slug))


#: Largest id a row can have (INTEGER keys); larger numbers would overflow SQLite.
MAX_ROW_ID = 2**31 - 1


def _int_or_none(value: str | None) -> int | None:
    """An id from a hidden form field; junk or a number no row can have is a 400."""
    try:
        number = int(value) if value else None
    except (TypeError, ValueError):
        abort(400)
    if number is not None and not 1 <= number <= MAX_ROW_ID:
        abort(400)
    return number
