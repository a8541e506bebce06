"""Notifications: Microsoft Teams, Slack and a generic JSON webhook."""

from auditor.notify.dispatcher import send, send_sync
from auditor.notify.selection import Notification, select, summary_line

__all__ = ["Notification", "select", "send", "send_sync", "summary_line"]
