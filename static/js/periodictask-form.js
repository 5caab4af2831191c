/* django-celery-beat's periodic task form: show the chosen crontab in words under the field
   (formerly an inline script in admin/djcelery/change_periodictask_form.html). */
(function ($) {
  "use strict";
  var readableCrontabs = JSON.parse($("#readable-crontabs").text());
  var help = $(".field-crontab .help");
  var originalCrontabHelp = help.text();

  function updateCrontabHelp(additional) {
    help.text(originalCrontabHelp).append($("<br>"), document.createTextNode("Translation: " + additional));
  }

  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    updateCrontabHelp(readableCrontabs[$("#id_crontab").val()]);
  });
})(django.jQuery);
