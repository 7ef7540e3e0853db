"""Chart builders: tables in, plotly Figure out (no Streamlit here, so each is unit-testable).

One module per chart (timeline, network, debt_arms, dyad), the shared look in ``style`` and the
annotated article reader in ``reader``.
"""
