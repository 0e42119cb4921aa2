"""The packet vocabulary: reliefs and their exhibit letters, titles and document numbers, and the short
words printed in exhibit columns (motion-packets.md sections 3 and 4)."""

RELIEFS = ("dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction")
RELIEF_LETTER = {"dismiss_and_seal": "A", "reduce_to_misdemeanor": "B", "reduce_to_infraction": "C"}
LETTER_RELIEF = {v: k for k, v in RELIEF_LETTER.items()}
EXHIBIT_TITLES = {
    "A": "Convictions to be dismissed as legally invalid and sealed",
    "B": "Convictions to be redesignated or resentenced as misdemeanors",
    "C": "Convictions to be redesignated or resentenced as infractions",
}
RELIEF_SHORT = {
    "dismiss_and_seal": "Dismiss & seal",
    "reduce_to_misdemeanor": "Reduce to misd.",
    "reduce_to_infraction": "Reduce to infr.",
}
RELIEF_WORDS = {
    "dismiss_and_seal": "Dismiss and seal",
    "reduce_to_misdemeanor": "Reduce to misdemeanor",
    "reduce_to_infraction": "Reduce to infraction",
}
LEVEL_SHORT = {"felony": "F", "misdemeanor": "M", "infraction": "I"}
PATH_SHORT = {"redesignation": "Redesig.", "resentencing": "Resent.", "unknown": "Unknown"}
SENTENCE_STATUS = {"redesignation": "completed", "resentencing": "serving", "unknown": "unknown"}
EXHIBIT_DOC_NO = {"A": "04", "B": "05", "C": "06"}
