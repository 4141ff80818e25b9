import { initAll } from './govuk/govuk-frontend.min.js'

initAll()

// Person pickers: a <select> that works without JavaScript (it lists the locality's people) becomes GOV.UK's
// accessible type-ahead. Typing matches a name or an agency: the select's own people first, then people from the
// rest of the county found by the server (/people/search), added to the select when chosen.
const peopleSearch = document.querySelector('meta[name="lehc-people-search"]')
for (const select of document.querySelectorAll('select[data-autocomplete="person"]')) {
  if (!window.accessibleAutocomplete) break
  const chosen = select.options[select.selectedIndex]
  const placeholder = [...select.options].find((option) => option.value === '0')
  if (placeholder) placeholder.textContent = '' // 'Choose a person' is a choice only without the type-ahead
  const found = new Map() // label -> id, of people the server found
  let pending = null
  const own = (query) =>
    [...select.options]
      .filter((option) => option.value !== '0' && option.text.toLowerCase().includes(query.toLowerCase()))
      .map((option) => option.text)
  window.accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: chosen && chosen.value !== '0' ? chosen.text : '',
    showAllValues: true,
    autoselect: false,
    source: (query, populateResults) => {
      const listed = own(query || '')
      if (!peopleSearch || !query || query.trim().length < 2) return populateResults(listed)
      if (listed.length) populateResults(listed) // at once; with none, wait rather than say "No results found"
      if (pending) pending.abort()
      pending = new AbortController()
      const url = `${peopleSearch.content}?q=${encodeURIComponent(query.trim())}`
      fetch(url, { signal: pending.signal, credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then((response) => (response.ok ? response.json() : { people: [] }))
        .then(({ people }) => {
          for (const person of people) found.set(person.label, String(person.id))
          populateResults([...listed, ...people.map((person) => person.label).filter((label) => !listed.includes(label))])
        })
        .catch((error) => { if (error.name !== 'AbortError') populateResults(listed) })
    },
    onConfirm: (label) => {
      if (label === undefined) return
      let option = [...select.options].find((each) => each.text === label)
      if (!option && found.has(label)) {
        option = new Option(label, found.get(label))
        select.add(option)
      }
      if (option) option.selected = true
    }
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

// Stacked tables on phones (lehc.css): each cell is labelled with its column's heading, unless the template said
// otherwise or the heading is for screen readers only (a column of buttons).
for (const table of document.querySelectorAll('table.lehc-stack')) {
  const headings = [...table.querySelectorAll('thead th')].map((th) =>
    th.querySelector('.govuk-visually-hidden') && th.textContent.trim() === th.querySelector('.govuk-visually-hidden').textContent.trim()
      ? ''
      : th.textContent.trim()
  )
  for (const row of table.querySelectorAll('tbody tr')) {
    let column = 0
    for (const cell of row.children) {
      const heading = headings[column]
      column += cell.colSpan || 1
      if (!cell.textContent.trim() && !cell.querySelector('input, select, button, a')) cell.classList.add('lehc-stack-empty')
      else if (heading && !cell.hasAttribute('data-label')) cell.setAttribute('data-label', heading)
    }
  }
}
