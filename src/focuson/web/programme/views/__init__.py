"""The programme's pages: the board, pillars and workstreams, projects with their thread, steps,
decisions and members, and the monthly update. One module per concept."""
