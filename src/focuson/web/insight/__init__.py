"""The Open step: events, participants, counted attendance, insights, who was heard."""
