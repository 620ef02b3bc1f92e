"""Every feature's models, imported so Alembic and the app see them all."""
from idea4gov.areas.models import Area, AreaSettings, Round, Theme  # noqa: F401
from idea4gov.audit.models import AuditEntry  # noqa: F401
from idea4gov.auth.models import ApiToken, PendingRegistration, Role, StaffRole, User  # noqa: F401
from idea4gov.deadlines.models import Holiday  # noqa: F401
from idea4gov.events.models import (  # noqa: F401
    Event,
    Proposal,
    ProposalFile,
    Registration,
    SurveyAnswer,
    Team,
    TeamMember,
)
from idea4gov.groups.models import IdeaGroup, IdeaIssue, IssueSeparation  # noqa: F401
from idea4gov.ideas.models import Comment, Idea, IdeaStatus, Report, ReportReason, Visibility, Vote  # noqa: F401
from idea4gov.joincodes.models import JoinCode  # noqa: F401
from idea4gov.line.models import LineNoticeKind  # noqa: F401
from idea4gov.mail.models import MailOptOut  # noqa: F401
from idea4gov.notifications.models import Notification  # noqa: F401
from idea4gov.oidc.models import LinkedIdentity, SignInDraft  # noqa: F401
from idea4gov.outbox.models import OutboxMessage  # noqa: F401
from idea4gov.places.models import IdeaLocation  # noqa: F401
from idea4gov.projects.models import Milestone, Project, ProjectChange, ProjectIdea, ProjectPhoto  # noqa: F401
from idea4gov.receipts.models import ReferenceCounter  # noqa: F401
from idea4gov.satisfaction.models import Rating  # noqa: F401
from idea4gov.shortlists.models import Criterion, Score, Shortlist, ShortlistItem, ShortlistJudge  # noqa: F401
from idea4gov.triage.models import (  # noqa: F401
    Agency,
    AgencyMember,
    EvidencePhoto,
    Merge,
    MergedVote,
    RoutingRule,
    StatusChange,
)
from idea4gov.verification.models import Verification, VerificationResponse  # noqa: F401
