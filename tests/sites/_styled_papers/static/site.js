// The Observer's script: marks the page as scripted (which shows the edition note) and
// loads the lazy images, as news CMSs do: data-src and data-srcset become src and srcset.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("img[data-src]").forEach(function (img) {
    if (img.dataset.srcset) {
      img.srcset = img.dataset.srcset;
    }
    img.src = img.dataset.src;
  });
});
