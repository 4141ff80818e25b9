import { initAll } from './govuk/govuk-frontend.min.js'

initAll()

// Person pickers: a <select> that works without JavaScript becomes GOV.UK's accessible type-ahead. The locality's
// members come first in the list; typing matches a name or an agency.
for (const select of document.querySelectorAll('select[data-autocomplete="person"]')) {
  if (!window.accessibleAutocomplete) break
  const chosen = select.options[select.selectedIndex]
  window.accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: chosen && chosen.value !== '0' ? chosen.text : '',
    showAllValues: true,
    autoselect: false
  })
}
