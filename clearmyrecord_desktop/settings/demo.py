"""Obviously fake office settings for the demo and the self-test."""

from __future__ import annotations

from .courthouses import draft_courthouse_entries
from .schema import (AttorneySettings, CountySettings, CourtSettings, OfficeSettings, PolicySettings,
                     PublicDefenderSettings, ServiceSettings, Settings)


def demo_settings(ws=None, run_id: int | None = None) -> Settings:
    """Obviously fake office data for the demo and the self-test. With a workspace and run, the run's
    courthouses get draft entries."""
    s = Settings(
        office=OfficeSettings(
            agency_name="Office of the District Attorney, County of Example (DEMO)",
            head_name="Pat Placeholder",
            head_title="District Attorney (DEMO)",
            attorney=AttorneySettings(name="Sam Sample", title="Deputy District Attorney (DEMO)",
                                      bar_number="000000"),
            address=["100 Example Street, Suite 0", "Exampleville, CA 90000"],
            phone="(555) 010-0000",
            email="demo-da@example.invalid",
        ),
        county=CountySettings(name="Example", code="EX"),
        court=CourtSettings(name="Superior Court of California, County of Example (DEMO)"),
        public_defender=PublicDefenderSettings(
            name="Office of the Public Defender, County of Example (DEMO)",
            address=["200 Sample Avenue", "Exampleville, CA 90000"],
            service_email="demo-pd@example.invalid",
        ),
        service=ServiceSettings(server_name="", server_address=[]),
        policy=PolicySettings(authority_text=(
            "[DEMO TEXT \u2014 counsel to replace] the People's discretion not to oppose relief "
            "beyond the statutory minimum")),
    )
    if ws is not None and run_id is not None:
        s.courthouses.update(draft_courthouse_entries(ws, run_id))
    return s
