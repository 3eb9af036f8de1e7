"""Every page's route, for app/main.py to include (after the API's routes)."""

from fastapi import APIRouter

from app.web import (
    admin_calendar,
    admin_catalogue,
    admin_officers,
    admin_pages,
    applicant_pages,
    assets,
    catalogue_pages,
    dashboard_pages,
    officer_dossier_pages,
    officer_pages,
    officer_queue,
    officer_sso,
    print_pages,
    registration_pages,
    submission_pages,
    tracking_pages,
)

router = APIRouter(include_in_schema=False)
for module in (
    catalogue_pages,
    submission_pages,
    tracking_pages,
    applicant_pages,
    dashboard_pages,
    officer_pages,
    officer_sso,
    print_pages,
    registration_pages,
    admin_pages,
    admin_officers,
    admin_calendar,
    admin_catalogue,
    officer_dossier_pages,
    officer_queue,
    assets,
):
    router.include_router(module.router)
