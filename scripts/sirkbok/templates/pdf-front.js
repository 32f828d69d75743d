// The PDF's title page and contents list, put in front of the one-page book before printing.
// Called by sirkbok.book.pdf with plain-text data; every string goes into textContent, never HTML.
(data) => {
  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  };
  const headingText = (heading) => {
    const copy = heading.cloneNode(true);
    copy.querySelectorAll('.headerlink').forEach((link) => link.remove());
    return copy.textContent.replace(/\s+/g, ' ').trim();
  };
  // Print every image now: lazy images below the fold would otherwise print as empty boxes.
  document.querySelectorAll('img[loading="lazy"]').forEach((image) => { image.loading = 'eager'; });

  const article = document.querySelector('article.bd-article');
  const entries = data.chapters.map((chapter, index) => {
    const anchor = document.getElementById(chapter.id);
    const section = anchor ? anchor.nextElementSibling : article.querySelector('section');
    const heading = section ? section.querySelector('h1, h2') : null;
    return {
      part: chapter.part,
      title: heading ? headingText(heading) : '',
      target: section ? section.id : '',
      page: data.pages[String(index)],
    };
  });

  const title = make('section', 'sirk-pdf-title');
  title.append(make('h1', '', data.title), make('p', 'sirk-pdf-edition', data.edition),
    make('p', 'sirk-pdf-authors', data.authors), make('p', 'sirk-pdf-licence', data.licence),
    make('p', 'sirk-pdf-address', data.address));

  const contents = make('nav', 'sirk-pdf-contents');
  contents.setAttribute('aria-label', data.contentsHeading);
  contents.append(make('h2', '', data.contentsHeading));
  const list = make('ul');
  let part = null;
  entries.forEach((entry) => {
    if (entry.part !== part && entry.part) {
      list.append(make('li', 'sirk-pdf-part', entry.part));
    }
    part = entry.part;
    const item = make('li', 'sirk-pdf-entry');
    const link = make('a', '', entry.title);
    link.href = '#' + encodeURIComponent(entry.target);
    item.append(link, make('span', 'sirk-pdf-page', entry.page ? String(entry.page) : ''));
    list.append(item);
  });
  contents.append(list);
  article.prepend(title, contents);
  return entries.map((entry) => entry.title);
}
