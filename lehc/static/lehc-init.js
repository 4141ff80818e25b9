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

// A form marked data-warn-unsaved asks before the page is left with changes typed in it but not saved (the browser
// shows its own words). Submitting a form saves that form only: saving the attendance still warns about notes typed
// and not saved, as the page reloads without them.
const unsaved = new Set()
for (const form of document.querySelectorAll('form[data-warn-unsaved]')) {
  form.addEventListener('input', () => unsaved.add(form))
  form.addEventListener('change', () => unsaved.add(form))
  form.addEventListener('submit', () => unsaved.delete(form))
}
window.addEventListener('beforeunload', (event) => {
  if (!unsaved.size) return
  event.preventDefault()
  event.returnValue = ''
})
