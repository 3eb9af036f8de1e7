"""Every page's route, for app/main.py to include (after the API's routes)."""

from fastapi import APIRouter

from app.web import (
    applicant_pages,
    assets,
    catalogue_pages,
    dashboard_pages,
    officer_pages,
    officer_queue,
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
    officer_queue,
    assets,
):
    router.include_router(module.router)
